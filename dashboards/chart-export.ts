// Each chart exports as a standalone SVG document or as a PNG (drawn at twice its size).
const download = (name: string, blob: Blob) => {
  const a = document.createElement("a")
  a.href = URL.createObjectURL(blob)
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
}

/** The chart as a standalone SVG document (dimensions and font inlined). */
const svgText = (svg: SVGSVGElement): string => {
  const copy = svg.cloneNode(true) as SVGSVGElement
  const { width, height } = svg.getBoundingClientRect()
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg")
  copy.setAttribute("width", String(Math.round(width)))
  copy.setAttribute("height", String(Math.round(height)))
  copy.setAttribute("font-family", "sans-serif")
  return new XMLSerializer().serializeToString(copy)
}

for (const btn of document.querySelectorAll<HTMLButtonElement>("button.export")) {
  btn.addEventListener("click", () => {
    const id = btn.dataset.chart ?? ""
    const svg = document.getElementById(id) as unknown as SVGSVGElement
    const text = svgText(svg)
    if (btn.dataset.format === "svg") return download(`huntbench-${id}.svg`, new Blob([text], { type: "image/svg+xml" }))
    const img = new Image()
    img.onload = () => {
      const canvas = document.createElement("canvas")
      canvas.width = img.width * 2
      canvas.height = img.height * 2
      const ctx = canvas.getContext("2d")
      if (!ctx) return
      ctx.fillStyle = "#fff"
      ctx.fillRect(0, 0, canvas.width, canvas.height)
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height)
      canvas.toBlob((b) => b && download(`huntbench-${id}.png`, b), "image/png")
    }
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`
  })
}

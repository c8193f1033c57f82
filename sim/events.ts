/**
 * How the event loop encodes its events: one 32-bit payload per event, `id << KIND_BITS |
 * kind`, where the id is a slot, hunter, fault, loss point or bucket as the kind says. The
 * queue (sim/queue.ts) orders payloads by time; the driver (sim/driver.ts) decodes them.
 *
 * Kinds: a hunter's next task, the next open-model arrival, a request's completion (reply or
 * client timeout), a retry, fault start/end, state loss, the viral moment, a split's end,
 * a request handed on by the load generator or app tier, and (live) an attempt's deadline.
 */
export const K_TASK = 0
export const K_ARRIVAL = 1
export const K_COMPLETE = 2
export const K_RETRY = 3
export const K_FAULT_START = 4
export const K_FAULT_END = 5
export const K_LOSS = 6
export const K_VIRAL = 7
export const K_SPLIT_DONE = 8
export const K_TO_APP = 9
export const K_TO_REDIS = 10
export const K_DEADLINE = 11
export const KIND_BITS = 4
export const KIND_MASK = 15

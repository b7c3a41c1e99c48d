/**
 * Loaded into the bot process by the soak benchmark only (`node --expose-gc --require …/memory-probe.js`), never
 * by the bot itself. Over the IPC channel the soak opens, it answers "memory" with the process's figures as
 * they are and again after a full garbage collection, so the soak can tell live JavaScript objects (a leak)
 * from memory the allocator and V8 keep for reuse (RSS that is not live data).
 */
import v8 from 'node:v8';

export interface MemorySample {
  /** Before the forced collection. */
  rss: number;
  heapUsed: number;
  /** After a full collection (or as they are, when none was asked for). */
  rssAfterGc: number;
  heapUsedAfterGc: number;
  heapTotalAfterGc: number;
  externalAfterGc: number;
  arrayBuffersAfterGc: number;
  /** V8's space sizes after the collection: what the heap holds for reuse beyond live data. */
  spaces: Record<string, { size: number; used: number }>;
  /** Timers, sockets and other handles alive in the event loop, by type. */
  resources: Record<string, number>;
}

function sample(collect: boolean): MemorySample {
  const before = process.memoryUsage();
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc && collect) gc();
  const after = process.memoryUsage();
  const spaces: MemorySample['spaces'] = {};
  for (const s of v8.getHeapSpaceStatistics()) spaces[s.space_name] = { size: s.space_size, used: s.space_used_size };
  const resources: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) resources[r] = (resources[r] ?? 0) + 1;
  return {
    rss: before.rss,
    heapUsed: before.heapUsed,
    rssAfterGc: after.rss,
    heapUsedAfterGc: after.heapUsed,
    heapTotalAfterGc: after.heapTotal,
    externalAfterGc: after.external,
    arrayBuffersAfterGc: after.arrayBuffers,
    spaces,
    resources,
  };
}

if (process.send && process.channel) {
  process.channel.unref();
  process.on('message', (m: unknown) => {
    const request = m as { probe?: string; id?: number; gc?: boolean; snapshot?: string } | undefined;
    if (request?.probe === 'memory')
      process.send!({ probe: 'memory', id: request.id, sample: sample(request.gc !== false) });
    if (request?.probe === 'snapshot' && request.snapshot) {
      const file = v8.writeHeapSnapshot(request.snapshot);
      process.send!({ probe: 'snapshot', id: request.id, file });
    }
  });
}

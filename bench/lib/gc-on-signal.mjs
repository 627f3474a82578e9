// Bench servers only (preloaded by bench/lib/preau-server.ts with --expose-gc): a full garbage
// collection on SIGUSR2, so that memory figures (bench/suite/realtime.ts) count what the server
// holds, not the garbage of the requests that came before.
process.on('SIGUSR2', () => globalThis.gc?.());

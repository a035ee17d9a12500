// Polling a read while a panel is open: once now, then every `ms`; the returned function
// stops it (an `$effect`'s cleanup).
export function poll(read: () => Promise<unknown>, ms: number): () => void {
  void read();
  const timer = setInterval(() => void read(), ms);
  return () => clearInterval(timer);
}

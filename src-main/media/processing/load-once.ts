/**
 * A processing engine's WebAssembly module, loaded once per thread and shared by every stage built
 * on it; a load that fails is forgotten, so the next stage tries again (e.g. after a repaired install).
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (!loading) {
      const p = load();
      p.catch(() => { if (loading === p) loading = undefined; });
      loading = p;
    }
    return loading;
  };
}

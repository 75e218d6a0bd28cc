// Batches created in this tab, with their check list (today the API returns it only in the creation response).
// Memory only, and forgotten when the session ends.
import { useEffect, useState } from "react";
import type { Batch } from "../api/types";

const created = new Map<string, Batch>();
const listeners = new Set<() => void>();

function notify() {
  for (const listener of listeners) listener();
}

export function rememberBatch(batch: Batch): void {
  created.set(batch.batch_id, batch);
  notify();
}

export function createdBatch(id: string): Batch | undefined {
  return created.get(id);
}

export function forgetBatches(): void {
  created.clear();
  notify();
}

export function useCreatedBatches(): Batch[] {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const listener = () => setVersion((v) => v + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return [...created.values()].reverse();
}

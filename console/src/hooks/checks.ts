// Running a check: sync by default, or in the background; a 202 (async, or a sync check the API queued because
// the providers were busy) is followed by polling GET /checks/{id} until the check is final.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, call } from "../api/client";
import { ApiError } from "../api/errors";
import { isFinal, type Check } from "../api/types";

export function idempotencyKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export interface RunResult {
  status: number;
  check: Check;
}

export async function runCheck(targetId: string, options: { async: boolean; refresh: boolean }): Promise<RunResult> {
  let outcome;
  try {
    outcome = await api.POST("/targets/{target_id}/checks", {
      params: {
        path: { target_id: targetId },
        query: { async: options.async, refresh: options.refresh },
        header: { "idempotency-key": idempotencyKey() },
      },
    });
  } catch (cause) {
    throw ApiError.network(cause);
  }
  if (!outcome.response.ok || !outcome.data) throw ApiError.fromBody(outcome.response, outcome.error);
  return { status: outcome.response.status, check: outcome.data };
}

export const POLL_MS = 1000;

export function fetchCheck(checkId: string): Promise<Check> {
  return call(api.GET("/checks/{check_id}", { params: { path: { check_id: checkId } } }));
}

/** Poll one check until it is final (1 s apart; the first answer may already be final). */
export function useCheckPolling(checkId: string | null) {
  return useQuery({
    queryKey: ["check", checkId],
    queryFn: () => fetchCheck(checkId as string),
    enabled: !!checkId,
    refetchInterval: (query) => (query.state.data && isFinal(query.state.data) ? false : POLL_MS),
    refetchIntervalInBackground: true,
  });
}

export function useRunCheck(targetId: string) {
  const queryClient = useQueryClient();
  const [pendingId, setPendingId] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (options: { async: boolean; refresh: boolean }) => runCheck(targetId, options),
    onSuccess: async (result) => {
      if (result.status === 202 || !isFinal(result.check)) {
        queryClient.setQueryData(["check", result.check.id], result.check);
        setPendingId(result.check.id);
      } else {
        setPendingId(null);
      }
      await queryClient.invalidateQueries({ queryKey: ["history", targetId] });
    },
  });
  return { mutation, pendingId };
}

// Who is signed in, from GET /me when the API has it (console/API_NEEDS.md 4): the e-mail after a cookie-mode
// restore (when nothing was typed in this tab), the tenant's name for every role, the plan.
import { useQuery } from "@tanstack/react-query";
import { untypedCall } from "../api/client";
import { FEATURES } from "../api/features";
import { useSessionUser } from "../auth/SessionProvider";

export interface Me {
  user_id: string;
  email: string;
  role: string;
  tenant_id: string;
  tenant_name: string;
  plan: string;
}

export function useMe(): Me | null {
  const user = useSessionUser();
  const me = useQuery({
    queryKey: ["me", user?.userId],
    queryFn: () => untypedCall<Me>("GET", "/me"),
    enabled: FEATURES.me && !!user,
    staleTime: 60_000,
  });
  return me.data ?? null;
}

/** What the top bar says: the e-mail (from /me, else the one typed at sign-in), else the start of the user id. */
export function whoLabel(me: Pick<Me, "email"> | null, typed: string | null, userId: string): string {
  return me?.email || typed || userId.slice(0, 8);
}

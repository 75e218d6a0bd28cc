import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { Toaster } from "sonner";
import { App } from "./App";
import { isRetryable, retryDelayMs } from "./api/errors";
import { SessionProvider } from "./auth/SessionProvider";
import { I18nProvider } from "./i18n";
import "./styles.css";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: false,
      // Reads retry what may pass next time: the network, a 5xx, and a 429 after its Retry-After (polling at the
      // plan's rate limit must not turn a page into an error). Never another 4xx; actions (mutations) never
      // retry on their own, so a refused check shows the upgrade offer.
      retry: (count, error) => count < 3 && isRetryable(error),
      retryDelay: (count, error) => retryDelayMs(count, error),
    },
  },
});

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <SessionProvider>
            <App />
          </SessionProvider>
          <Toaster position="top-right" richColors closeButton />
        </BrowserRouter>
      </QueryClientProvider>
    </I18nProvider>
  </StrictMode>,
);

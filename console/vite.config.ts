import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

// sonner injects its stylesheet with a <style> element, which the console's CSP (style-src 'self') refuses;
// its styles.css is bundled instead (src/styles.css imports it), so the injection is dropped at build time.
function sonnerWithoutInlineStyle(): Plugin {
  return {
    name: "radar:sonner-without-inline-style",
    transform(code, id) {
      if (!id.includes("/node_modules/sonner/dist/")) return null;
      const stripped = code.replace(/__insertCSS\("(?:[^"\\]|\\.)*"\);?/g, "");
      return stripped === code ? null : { code: stripped, map: null };
    },
  };
}

export default defineConfig({
  plugins: [react(), sonnerWithoutInlineStyle()],
  base: "/",
  build: {
    outDir: "dist",
    manifest: true,
    sourcemap: false,
    target: "es2022",
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: "node", // DOM tests say `@vitest-environment happy-dom` at their top
    include: ["src/**/*.test.{ts,tsx}", "scripts/**/*.test.{ts,mjs}"],
    restoreMocks: true,
  },
});

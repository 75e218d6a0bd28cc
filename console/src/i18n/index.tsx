import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { Locale } from "../lib/format";
import { en } from "./en";
import { pt } from "./pt-BR";

export type MessageKey = keyof typeof pt;
export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

const CATALOGS: Record<Locale, Record<MessageKey, string>> = { "pt-BR": pt, en };
export const LOCALES: { code: Locale; name: string }[] = [
  { code: "pt-BR", name: "Português (Brasil)" },
  { code: "en", name: "English" },
];
// A preference, not session data: it stays after sign-out (the session itself is never stored).
const STORAGE_KEY = "radar.lang";

export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  const template = CATALOGS[locale][key] ?? pt[key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
}

/** Whether a string is a message key (for codes that come from the API, like status or outcome names). */
export function hasKey(key: string): key is MessageKey {
  return key in pt;
}

interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18nValue>({
  locale: "pt-BR",
  setLocale: () => undefined,
  t: (key, vars) => translate("pt-BR", key, vars),
});

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === "en" || saved === "pt-BR") return saved;
  } catch {
    // storage disabled: the default applies
  }
  return "pt-BR";
}

export function I18nProvider({ children, locale: fixed }: { children: ReactNode; locale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(fixed ?? initialLocale);
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, next);
    } catch {
      // not persisted; it still applies to this tab
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18nValue>(
    () => ({ locale, setLocale, t: (key, vars) => translate(locale, key, vars) }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = () => useContext(I18nContext);

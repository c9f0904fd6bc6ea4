import { useSyncExternalStore } from 'react';

// The admin token and the theme live in localStorage: the dashboard has no server-side session.
const TOKEN_KEY = 'lastmile.token';
const THEME_KEY = 'lastmile.theme';

export type ThemeChoice = 'system' | 'light' | 'dark';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

function read(key: string): string {
  try {
    return localStorage.getItem(key) ?? '';
  } catch {
    // Storage can be disabled (private windows, policies): the dashboard still reads without it.
    return '';
  }
}

function write(key: string, value: string): void {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // Without storage the value lasts only for this page; nothing else to do.
  }
  notify();
}

export const getToken = (): string => read(TOKEN_KEY);
export const setToken = (token: string): void => write(TOKEN_KEY, token.trim());

export function getThemeChoice(): ThemeChoice {
  const stored = read(THEME_KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}
export const setThemeChoice = (theme: ThemeChoice): void =>
  write(THEME_KEY, theme === 'system' ? '' : theme);

export const useToken = (): string => useSyncExternalStore(subscribe, getToken);
export const useThemeChoice = (): ThemeChoice => useSyncExternalStore(subscribe, getThemeChoice);

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');
const subscribeSystem = (listener: () => void) => {
  const query = darkQuery();
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
};

/** The theme in effect: the stored choice, else the system's. */
export function useResolvedTheme(): 'light' | 'dark' {
  const choice = useThemeChoice();
  const systemDark = useSyncExternalStore(subscribeSystem, () => darkQuery().matches);
  if (choice !== 'system') return choice;
  return systemDark ? 'dark' : 'light';
}

const OPEN_SETTINGS = 'lastmile:open-settings';

/** Asks the shell to open the settings dialog (from a "set the token" hint anywhere). */
export const openSettings = (): void => void window.dispatchEvent(new Event(OPEN_SETTINGS));

export function onOpenSettings(handler: () => void): () => void {
  window.addEventListener(OPEN_SETTINGS, handler);
  return () => window.removeEventListener(OPEN_SETTINGS, handler);
}

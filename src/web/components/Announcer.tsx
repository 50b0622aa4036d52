import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

const AnnouncerContext = createContext<(message: string) => void>(() => undefined);

/** One polite live region for the page: changes are read out without moving focus. */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  const announce = useCallback((next: string) => {
    // Clearing first makes screen readers repeat an identical message.
    setMessage('');
    window.setTimeout(() => setMessage(next), 50);
  }, []);
  return (
    <AnnouncerContext.Provider value={announce}>
      {children}
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        {message}
      </div>
    </AnnouncerContext.Provider>
  );
}

export const useAnnounce = () => useContext(AnnouncerContext);

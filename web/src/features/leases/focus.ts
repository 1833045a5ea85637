import { useEffect, useRef } from 'react';

/** A form that opens in place of the button that opened it takes the focus (its first field). */
export function useFocusFirst<T extends HTMLElement>(ready = true) {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, [ready]);
  return ref;
}

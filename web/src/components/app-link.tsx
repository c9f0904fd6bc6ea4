import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { navigate, pathWithQuery } from '../lib/url-state';

interface AppLinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string;
  /** Keep the current filters (query string) when following the link. */
  keepQuery?: boolean;
}

/** A real link (open in a new tab works) that navigates in-page on a plain click. */
export function AppLink({ to, keepQuery = false, onClick, ...rest }: AppLinkProps) {
  const href = keepQuery && !to.includes('?') ? pathWithQuery(to) : to;
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    navigate(href);
    window.scrollTo(0, 0);
  };
  return <a href={href} onClick={handleClick} {...rest} />;
}

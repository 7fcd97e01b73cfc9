// Hash routing: "#/identities/abc?status=active" -> {path, segments, params}.
// Pages write their filters into the hash, so a filtered view is a link.
import { useEffect, useState } from 'preact/hooks';

export function parseHash(hash) {
  const text = (hash || '').replace(/^#/, '') || '/';
  const [path, search = ''] = text.split('?');
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { path, segments, params: Object.fromEntries(new URLSearchParams(search)) };
}

export function href(path, params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return `#${path}${text ? `?${text}` : ''}`;
}

export function navigate(path, params) {
  const target = href(path, params);
  if (location.hash !== target) location.hash = target;
}

export function useRoute() {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

// Points the header's service links (#link-<name>) at the other services,
// on this page's host, from /api/v1/services. A `?token=` in this page's
// address is sent as the bearer token and kept on the links.
export function token() {
  return new URLSearchParams(location.search).get('token');
}

export function authHeaders() {
  const t = token();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

export function linkServices() {
  fetch('/api/v1/services', { headers: authHeaders() }).then((r) => r.json()).then(({ services }) => {
    for (const s of services) {
      const a = document.getElementById(`link-${s.name}`);
      if (!a) continue;
      const u = new URL(location.href);
      u.port = String(s.port); u.pathname = s.ui; u.search = ''; u.hash = '';
      if (token()) u.searchParams.set('token', token());
      a.href = u.toString();
    }
  }).catch(() => {});
}

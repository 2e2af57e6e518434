// Points the header's service links (#link-<name>) at the other services,
// on this page's host, from /api/v1/services.
export function linkServices() {
  fetch('/api/v1/services').then((r) => r.json()).then(({ services }) => {
    for (const s of services) {
      const a = document.getElementById(`link-${s.name}`);
      if (!a) continue;
      const u = new URL(location.href);
      u.port = String(s.port); u.pathname = s.ui; u.search = ''; u.hash = '';
      a.href = u.toString();
    }
  }).catch(() => {});
}

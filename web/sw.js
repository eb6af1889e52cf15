// The app's service worker: it makes the app installable and lets its shell (pages, scripts,
// styles, icons, uPlot) open without the network. It caches the shell only, never an API
// answer: /status, /query, /config and the rest always go to the daemon, untouched. The shell
// is fetched from the network first (a new version shows at once) and read from the cache
// only when the daemon cannot be reached.
const CACHE = 'iotawatt-shell-v1';
const SHELL = ['/', '/index.html', '/style.css', '/theme.js', '/app.js', '/api.js', '/devicetime.js', '/home.js',
  '/energy.js', '/roles.js', '/sankey.js', '/status.js', '/manifest.webmanifest', '/icon.svg', '/icon-192.png',
  '/icon-512.png', '/vendor/uplot/uPlot.esm.js', '/vendor/uplot/uPlot.min.css'];

// What the cache may hold: the shell's own files, by path; nothing with a query.
function isShell(url) {
  return url.origin === self.location.origin && !url.search && SHELL.includes(url.pathname);
}

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || !isShell(url)) return;  // the browser's own fetch
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(event.request, copy));
    }
    return response;
  }).catch(() => caches.match(event.request)));
});

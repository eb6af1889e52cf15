// The colour theme, before the first paint (a classic script in <head>, so a dark page never
// flashes light): "dark" or "light" as the user chose with the header's toggle (kept in
// localStorage), else the system's prefers-color-scheme. The choice is <html data-theme>;
// style.css reads it.
(function () {
  var KEY = 'iotawatt-theme';
  var systemDark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)');
  function chosen() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function apply() {
    var theme = chosen() || (systemDark && systemDark.matches ? 'dark' : 'light');
    document.documentElement.dataset.theme = theme;
    return theme;
  }
  apply();
  if (systemDark && systemDark.addEventListener) systemDark.addEventListener('change', apply);
  // The header's toggle flips the shown theme and remembers it.
  document.addEventListener('click', function (e) {
    if (!e.target.closest || !e.target.closest('#theme-toggle')) return;
    var next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
    try { localStorage.setItem(KEY, next); } catch (err) { /* private mode: this page only */ }
    apply();
    if (chosen() !== next) document.documentElement.dataset.theme = next;
  });
})();

/**
 * embed.html's own script: fills this server's address into the snippets, so they can be copied as they are.
 * A module rather than an inline `<script>`: the build's Content-Security-Policy allows no inline script
 * (vite.config.ts). The snippets are set as text, never parsed as HTML.
 */
const base = new URL('./', location.href).href;
for (const code of document.querySelectorAll<HTMLElement>('code.snippet')) {
  const template = code.dataset.template;
  if (template !== undefined) code.textContent = template.replaceAll('{base}', base);
}

// Container health check: GET /health on the app's own port (the image has no curl). Exit 0 when it answers 200.
const port = process.env.PORT ?? "8080";
try {
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1500) });
  process.exit(res.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}

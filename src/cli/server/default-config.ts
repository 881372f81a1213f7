/** The config used when none is given: the server scrapes itself, like Prometheus's example config. */
export function defaultConfigYaml(listenAddress: string, routePrefix: string): string {
  const port = /:(\d+)$/.exec(listenAddress)?.[1] ?? '9090';
  const path = `${routePrefix === '/' ? '' : routePrefix.replace(/\/$/, '')}/metrics`;
  return `# Embedded default configuration of Pyrometer: scrape the server itself.
global:
  scrape_interval: 15s
  evaluation_interval: 15s

scrape_configs:
  - job_name: pyrometer
    metrics_path: ${path}
    static_configs:
      - targets: ["localhost:${port}"]
`;
}

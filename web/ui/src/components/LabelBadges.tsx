// Label sets as `name="value"` badges, the way every page lists a series' or target's labels.
export function LabelBadges({ labels }: { labels: Record<string, string> }) {
  return (
    <>
      {Object.entries(labels).map(([k, v]) => (
        <span class="label-badge" key={k}>
          {k}="{v}"
        </span>
      ))}
    </>
  );
}

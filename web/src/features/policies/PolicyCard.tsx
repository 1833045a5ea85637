/** One rule as read: its name, area, place, dates, terms in words, condition, notes and sources. */
import { useId } from 'react';
import { areaLabel, conditionInWords, effectiveText, placeName, standingOn, termsInWords, type Policy } from '@/lib/policies';

/** The source's address without its scheme, for a link's text. */
const sourceText = (url: string) => url.replace(/^https?:\/\//, '').replace(/\/$/, '');

export function StandingBadge({ policy, today }: { policy: Policy; today: string }) {
  const s = standingOn(policy, today);
  if (s === 'ended') return <span className="status policy-ended">Ended</span>;
  if (s === 'upcoming') return <span className="status policy-upcoming">Not yet in effect</span>;
  return <span className="status policy-in-effect">In effect</span>;
}

export function OriginBadge({ policy }: { policy: Policy }) {
  return policy.origin === 'org' ? <span className="status policy-org">Your rule</span> : <span className="status">Built-in</span>;
}

/**
 * A rule as an article; `level` is its heading's level in the page, `showPlace` adds where it
 * applies (the pack's cards sit under their place's heading already), `anchor` gives it the id
 * `rule-<id>` links point at (only one card per rule on the page may have it).
 */
export function PolicyCard({ policy, today, level = 4, showPlace = false, anchor = false }: { policy: Policy; today: string; level?: 3 | 4; showPlace?: boolean; anchor?: boolean }) {
  const headingId = useId();
  const Heading = level === 3 ? 'h3' : 'h4';
  const condition = conditionInWords(policy.when);
  const sources = policy.sources ?? [];
  return (
    <article className="card policy-card" id={anchor ? `rule-${policy.id}` : undefined} aria-labelledby={headingId}>
      <Heading id={headingId}>{policy.name}</Heading>
      <p className="policy-meta">
        <span className="status policy-area">{areaLabel(policy.area)}</span> <StandingBadge policy={policy} today={today} /> <OriginBadge policy={policy} />{' '}
        <span className="muted">
          {showPlace ? `${placeName(policy.country, policy.region)} · ` : null}
          {effectiveText(policy)}
          {policy.priority ? ` · priority ${policy.priority}` : null}
        </span>
      </p>
      <p className="policy-terms">{termsInWords(policy.area, policy.rule)}</p>
      {condition ? <p className="policy-condition">{condition}</p> : null}
      {policy.notes ? <p className="muted policy-notes">{policy.notes}</p> : null}
      {sources.length ? (
        <div className="policy-sources">
          <span className="muted">{sources.length === 1 ? 'Source:' : 'Sources:'}</span>
          <ul>
            {sources.map((url) => (
              <li key={url}>
                <a href={url} target="_blank" rel="noopener noreferrer">
                  {sourceText(url)}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="muted policy-id">
        Rule id <code>{policy.id}</code>
      </p>
    </article>
  );
}

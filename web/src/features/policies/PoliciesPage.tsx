/**
 * `/orgs/:orgId/policies`: the jurisdiction rules the app checks leases against — your own
 * (owners create and delete them), a tester for which one applies where and when, and the
 * built-in pack by place with each rule's terms in words, notes and sources. A link to
 * `#rule-<id>` (from an obligation) scrolls to that rule once the rules are loaded.
 */
import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';
import { PageHeader, Section } from '@/components/Page';
import { ErrorState, Loading } from '@/components/QueryState';
import { todayIn } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { byJurisdiction } from '@/lib/policies';
import { useOrgRules, usePack } from './data';
import { OrgRules } from './OrgRules';
import { PolicyCard } from './PolicyCard';
import { RuleTester } from './RuleTester';
import './policies.css';

function Pack() {
  const { org } = useOrg();
  const pack = usePack();
  const today = todayIn(org.timezone);
  return (
    <Section title="Built-in rules">
      <p className="muted">
        The rules the app knows for these places, with their sources. Each applies from its first day through its last; where none of your rules applies, the most specific one in effect
        wins.
      </p>
      {pack.isPending ? (
        <Loading label="Loading the built-in rules…" />
      ) : pack.error ? (
        <ErrorState error={pack.error} />
      ) : (
        byJurisdiction(pack.data).map((j) => (
          <section key={j.code} className="policy-place" aria-labelledby={`place-${j.code}`}>
            <h3 id={`place-${j.code}`}>
              {j.name} <span className="muted">({j.code})</span>
            </h3>
            <div className="policy-list">
              {j.rules.map((p) => (
                <PolicyCard key={p.id} policy={p} today={today} anchor />
              ))}
            </div>
          </section>
        ))
      )}
    </Section>
  );
}

/** Scrolls to the element the URL's hash names once `ready`. */
function useScrollToHash(ready: boolean) {
  const { hash } = useLocation();
  useEffect(() => {
    if (!ready || !hash) return;
    const target = document.getElementById(decodeURIComponent(hash.slice(1)));
    target?.scrollIntoView?.({ block: 'start' });
  }, [ready, hash]);
}

export default function PoliciesPage() {
  const pack = usePack();
  const own = useOrgRules();
  useScrollToHash(!!pack.data && !own.isPending);
  return (
    <>
      <PageHeader title="Policies">
        <p className="muted">Jurisdiction rules on deposits, late fees, notice, rent rises and deposit returns: the app checks leases against the one in effect for the building’s place.</p>
      </PageHeader>
      <OrgRules />
      <RuleTester />
      <Pack />
    </>
  );
}

import { useEffect, useState } from 'react';
import type { Output } from '../../../main/common/contract.js';
import { vnYear } from '../../../main/common/dates.js';
import { call } from '../api/client.js';
import type { Direction } from './filters.js';

type Registers = Output<'registers.list'>;

export interface RegisterCounts {
  counts: Record<Direction, number | null>;
  /** Years that have a register, plus the current one (its register may not exist yet), newest first. */
  years: number[];
}

/** Document counts per register for the chosen year (or all years), refreshed with the list. */
export function useRegisterCounts(year: number | null, refreshToken: number): RegisterCounts {
  const [registers, setRegisters] = useState<Registers | null>(null);
  useEffect(() => {
    let cancelled = false;
    // Counts are a convenience: when they cannot be had, the tabs simply show none.
    call('registers.list', {}).then(
      (list) => !cancelled && setRegisters(list),
      () => !cancelled && setRegisters(null),
    );
    return () => {
      cancelled = true;
    };
  }, [refreshToken]);

  const count = (direction: Direction) =>
    registers ? registers.filter((r) => r.direction === direction && (year === null || r.year === year)).reduce((n, r) => n + r.documentCount, 0) : null;
  const years = new Set([vnYear(), ...(registers ?? []).map((r) => r.year)]);
  if (year !== null) years.add(year);
  return { counts: { in: count('in'), out: count('out') }, years: [...years].sort((a, b) => b - a) };
}

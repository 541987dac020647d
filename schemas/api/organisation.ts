// Contract of the organisation: the municipality register (PUT/GET /municipalities) and its regions
// (GET /regions). The register's rows have the shape of ../shared/data/municipalities.json.
import * as z from 'zod';
import { MunicipalityCode, singleLine } from '../common.js';

export const RegionCode = z.string().regex(/^\d{2}$/, 'must be a two-digit region code, e.g. 01');

/** One row of the register as imported. */
export const RegisterRow = z.object({
  code: MunicipalityCode,
  name_fi: singleLine(100),
  name_sv: singleLine(100),
  region_code: RegionCode,
  region_fi: singleLine(100),
  region_sv: singleLine(100),
  population: z.int().min(0).optional(),
});
export type RegisterRow = z.infer<typeof RegisterRow>;

/**
 * PUT /municipalities: the whole register. Each code once, and each region with one pair of names, so
 * that a typo cannot split a region in two; the row that breaks either is named.
 */
export const MunicipalityRegisterBody = z
  .array(RegisterRow)
  .min(1, 'the register needs at least one municipality')
  .max(2000)
  .superRefine((rows, ctx) => {
    const codes = new Map<string, number>();
    const regions = new Map<string, { name_fi: string; name_sv: string; index: number }>();
    rows.forEach((row, index) => {
      const first = codes.get(row.code);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: [index, 'code'], message: `is already row ${first}'s code` });
      else codes.set(row.code, index);
      const region = regions.get(row.region_code);
      if (!region) regions.set(row.region_code, { name_fi: row.region_fi, name_sv: row.region_sv, index });
      else
        for (const field of ['name_fi', 'name_sv'] as const) {
          const given = row[field === 'name_fi' ? 'region_fi' : 'region_sv'];
          if (given !== region[field])
            ctx.addIssue({
              code: 'custom',
              path: [index, field === 'name_fi' ? 'region_fi' : 'region_sv'],
              message: `differs from row ${region.index}'s name of region ${row.region_code} ("${region[field]}")`,
            });
        }
    });
  });
export type MunicipalityRegisterBody = z.infer<typeof MunicipalityRegisterBody>;

const Named = z.object({ code: MunicipalityCode, name_fi: z.string() });

/** What an import changed. A removed municipality (merged into another) keeps its history. */
export const RegisterImportResult = z.object({
  added: z.array(Named),
  changed: z.array(Named.extend({ fields: z.array(z.string()) })),
  removed: z.array(Named),
  unchanged: z.int(),
  total: z.int(),
});
export type RegisterImportResult = z.infer<typeof RegisterImportResult>;

export const MunicipalityView = z.object({
  code: MunicipalityCode,
  name_fi: z.string(),
  name_sv: z.string(),
  region_code: RegionCode,
  population: z.int().optional(),
});
export type MunicipalityView = z.infer<typeof MunicipalityView>;

export const MunicipalitiesQuery = z.object({ region: RegionCode.optional() });
export const MunicipalityList = z.object({ municipalities: z.array(MunicipalityView) });

export const RegionView = z.object({
  code: RegionCode,
  name_fi: z.string(),
  name_sv: z.string(),
  municipalities: z.int(),
  population: z.int(),
});
export type RegionView = z.infer<typeof RegionView>;
export const RegionList = z.object({ regions: z.array(RegionView) });

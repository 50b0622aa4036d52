import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The open-data contract (a copy of ../shared/contracts, checked equal in exports.test.ts). */
export const exportContract = JSON.parse(readFileSync('docs/contracts/workshop-export.schema.json', 'utf8'));

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);

/** An independent JSON Schema validator, so the export is checked by more than our own zod schema. */
export const validateExport = ajv.compile(exportContract);

/** The consultation open-data contract ([CONS-17]). */
export const consultationExportContract = JSON.parse(readFileSync('docs/contracts/consultation-export.schema.json', 'utf8'));
export const validateConsultationExport = ajv.compile(consultationExportContract);

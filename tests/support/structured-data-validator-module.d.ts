/** Types for `@adobe/structured-data-validator` (plain JavaScript, no declarations): what tests/support/structured-data.ts uses. */
declare module "@adobe/structured-data-validator" {
  export default class Validator {
    /** `schemaOrgJson`: the schema.org vocabulary in its JSON-LD release format (`@graph` of classes and properties). */
    constructor(schemaOrgJson?: object);
    debug: boolean;
    /** `data`: structured data as @marbec/web-auto-extractor gives it, e.g. `{ jsonld: { QAPage: [block] } }`. */
    validate(data: object): Promise<unknown[]>;
  }
}

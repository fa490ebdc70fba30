import { customType } from "drizzle-orm/pg-core";

/** Raw bytes; PGlite hands back a Uint8Array and postgres.js a Buffer, so both become a Buffer. Not a table: the schema index does not export it. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => Buffer.from(v),
});

// PostGraphile v5 for bench/peers.py: the amber preset, every table of the `public`
// schema, nothing else. bench/peers.py copies this file beside the installed
// node_modules (bench/.cache/postgraphile-*/) and sets DATABASE_URL and PORT.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({ connectionString: process.env.DATABASE_URL, schemas: ["public"] }),
  ],
  grafserv: { host: "127.0.0.1", port: Number(process.env.PORT) },
  grafast: { explain: false },
};

export default preset;

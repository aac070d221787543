/**
 * Sets NODE_ENV before any other module of the server is evaluated: start.ts imports this first.
 * Libraries such as React pick their development or production build when first loaded, and
 * start.ts's own imports (Express, remix-utils) load React, so assigning NODE_ENV in start.ts's body
 * came too late and the production server ran React's development build.
 */
process.env.NODE_ENV = process.argv.includes("--dev") ? "development" : "production";

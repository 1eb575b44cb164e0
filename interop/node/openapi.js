// GET /openapi.yaml from the fake with Node's own https module: a client in another
// language fetches the API document, which needs no key. Node trusts the fake's CA
// through NODE_EXTRA_CA_CERTS, set by interop_test.go with FAKE_URL; TLS verification
// stays on. Prints one JSON line: the status and the SHA-256 of the body.
"use strict";
const https = require("https");
const crypto = require("crypto");

const sample = "OpenAPIDocument";
https
  .get(new URL("/openapi.yaml", process.env.FAKE_URL), (response) => {
    const hash = crypto.createHash("sha256");
    response.on("data", (chunk) => hash.update(chunk));
    response.on("end", () => {
      console.log(JSON.stringify({ sample, statusCode: response.statusCode, sha256: hash.digest("hex") }));
    });
  })
  .on("error", (error) => {
    console.log(JSON.stringify({ sample, error: String(error.message), code: error.code }));
  });

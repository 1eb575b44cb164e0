// The two samples of SendGrid's API documentation for the SSO endpoints ("Get an SSO
// Certificate", "Authenticate a customer account user"), run with the official Node
// SDK, @sendgrid/client (pinned in the root package-lock.json), against a base URL
// of our choosing. Called by interop_test.go with SENDGRID_API_KEY, FAKE_URL, CERT_ID
// and ACCOUNT_ID set; prints one JSON line per sample: what the caller got.
"use strict";
const client = require("@sendgrid/client");

client.setApiKey(process.env.SENDGRID_API_KEY);
// setApiKey resets baseUrl, so the base URL is set after it.
client.setDefaultRequest("baseUrl", process.env.FAKE_URL);

function report(sample, promise) {
  return promise
    .then(([response, body]) => {
      console.log(JSON.stringify({ sample, statusCode: response.statusCode, body }));
    })
    .catch((error) => {
      const code = error.code || (error.response && error.response.statusCode);
      console.log(JSON.stringify({ sample, error: String(error.message), code }));
    });
}

(async () => {
  await report("GetSsoCertificate", client.request({
    url: `/v3/sso/certificates/${process.env.CERT_ID}`,
    method: "GET",
  }));
  await report("AuthenticateAccount", client.request({
    url: `/v3/partners/accounts/${process.env.ACCOUNT_ID}/sso`,
    method: "POST",
  }));
})();

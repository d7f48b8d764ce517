// The official iyzipay Node.js SDK, unmodified, on the basic payments, APM, BKM Express, Pecco and the instalment
// table (run by tests/sandbox/test_official_sdks_wallets.py).
// stdin: {"uri", "apiKey", "secretKey", "requests": {name: the spec's example}}; stdout: one JSON array of steps.
'use strict';

const Iyzipay = require('iyzipay');
const utils = require('iyzipay/lib/utils');

function call(resource, method, request) {
    return new Promise((resolve, reject) => {
        resource[method](request, (error, result) => (error ? reject(error) : resolve(result)));
    });
}

async function main() {
    const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    const iyzipay = new Iyzipay({ apiKey: input.apiKey, secretKey: input.secretKey, uri: input.uri });
    const requests = input.requests;
    const steps = [];
    const record = (step, result, signedOver) => {
        const values = (signedOver || []).map((field) => (result[field] === undefined ? '' : String(result[field])));
        steps.push({
            step,
            status: result.status,
            errorCode: result.errorCode || null,
            signed: signedOver ? utils.calculateHmacSHA256Signature(values, input.secretKey) === result.signature : null,
        });
        return result;
    };
    record('basicPayment', await call(iyzipay.basicPayment, 'create', requests.basic));
    const apm = record('apmInitialize', await call(iyzipay.apm, 'create', requests.apm), ['paymentId', 'redirectUrl']);
    record('apmRetrieve', await call(iyzipay.apm, 'retrieve', { locale: 'tr', conversationId: apm.conversationId, paymentId: apm.paymentId }),
        ['currency', 'basketId', 'conversationId', 'paidPrice', 'price', 'paymentId', 'redirectUrl']);
    record('bkmInitialize', await call(iyzipay.bkmInitialize, 'create', requests.bkm), ['token', 'conversationId']);
    record('basicBkmInitialize', await call(iyzipay.basicBkmInitialize, 'create', requests.basicBkm));
    record('peccoInitialize', await call(iyzipay.peccoInitialize, 'create', requests.pecco));
    record('installmentHtml', await call(iyzipay.installmentHtml, 'retrieve', requests.installment));
    process.stdout.write(JSON.stringify(steps));
}

main().catch((error) => {
    process.stderr.write(String(error && error.stack ? error.stack : error));
    process.exit(1);
});

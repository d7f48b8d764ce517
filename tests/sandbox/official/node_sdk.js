// The official iyzipay Node.js SDK, unmodified, against the emulator (run by tests/sandbox/test_official_sdks.py).
// stdin: {"uri", "apiKey", "secretKey", "payment", "threeds", "subscriptionProduct", "subscriptionPlan",
// "subscription"}; stdout: one JSON array of step outcomes.
// Trust in the emulator's certificate comes from NODE_EXTRA_CA_CERTS only: nothing here touches TLS.
'use strict';

const Iyzipay = require('iyzipay');
const utils = require('iyzipay/lib/utils');

const PAYMENT_FIELDS = ['paymentId', 'currency', 'basketId', 'conversationId', 'paidPrice', 'price'];

function call(resource, method, request) {
    return new Promise((resolve, reject) => {
        resource[method](request, (error, result) => (error ? reject(error) : resolve(result)));
    });
}

function signedBy(result, fields, secretKey) {
    const values = fields.map((field) => (result[field] === undefined ? '' : String(result[field])));
    return utils.calculateHmacSHA256Signature(values, secretKey) === result.signature;
}

async function main() {
    const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    const iyzipay = new Iyzipay({ apiKey: input.apiKey, secretKey: input.secretKey, uri: input.uri });
    const steps = [];
    const record = (step, result, fields) => {
        steps.push({
            step,
            status: result.status,
            errorCode: result.errorCode || null,
            signed: fields ? signedBy(result, fields, input.secretKey) : null,
        });
        return result;
    };
    const payment = record('payment', await call(iyzipay.payment, 'create', input.payment), PAYMENT_FIELDS);
    record('retrieve', await call(iyzipay.payment, 'retrieve', {
        locale: 'tr', conversationId: input.payment.conversationId, paymentId: payment.paymentId,
    }), PAYMENT_FIELDS);
    record('refund', await call(iyzipay.refund, 'create', {
        locale: 'tr', paymentTransactionId: payment.itemTransactions[0].paymentTransactionId,
        price: '0.1', currency: 'TRY', ip: '85.34.78.112',
    }));
    record('refundV2', await call(iyzipay.refundV2, 'create', {
        locale: 'tr', conversationId: input.payment.conversationId, paymentId: payment.paymentId,
        price: '0.2', currency: 'TRY', ip: '85.34.78.112',
    }), ['paymentId', 'conversationId']);
    record('threedsInitialize', await call(iyzipay.threedsInitialize, 'create', input.threeds),
        ['paymentId', 'conversationId']);
    record('binNumber', await call(iyzipay.binNumber, 'retrieve', { locale: 'tr', binNumber: '554960' }));
    record('apiTest', await call(iyzipay.apiTest, 'retrieve', {}));
    const product = record('subscriptionProduct',
        await call(iyzipay.subscriptionProduct, 'create', input.subscriptionProduct));
    const plan = record('subscriptionPlan', await call(iyzipay.subscriptionPricingPlan, 'create', {
        ...input.subscriptionPlan, productReferenceCode: product.data.referenceCode,
    }));
    const started = record('subscription', await call(iyzipay.subscription, 'initialize', {
        ...input.subscription, pricingPlanReferenceCode: plan.data.referenceCode,
    }));
    const reference = { subscriptionReferenceCode: started.data.referenceCode };
    const found = record('subscriptionFind', await call(iyzipay.subscription, 'retrieve', reference));
    if (found.data.referenceCode !== reference.subscriptionReferenceCode) {
        throw new Error('the retrieved subscription is another one');
    }
    record('subscriptionCancel', await call(iyzipay.subscription, 'cancel', reference));
    process.stdout.write(JSON.stringify(steps));
}

main().catch((error) => {
    process.stderr.write(`node SDK run failed: ${error && error.message}\n`);
    process.exit(1);
});

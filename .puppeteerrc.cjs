// whatsapp-web.js depends on puppeteer; its browser download cannot succeed offline and would
// roll back the whole install. The WhatsApp Web adapter uses the system Chromium instead.
module.exports = { skipDownload: true };

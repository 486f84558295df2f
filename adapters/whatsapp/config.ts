import { z } from 'zod';

/** Graph API version the Cloud adapter was written against. */
export const DEFAULT_CLOUD_API_URL = 'https://graph.facebook.com/v21.0';

/**
 * WhatsApp environment variables. All are optional until `WHATSAPP_MODE` selects a mode;
 * `cloud` then requires the token, phone number id, app secret and verify token.
 */
export const whatsappEnv = z
  .object({
    /** `web` drives WhatsApp Web through whatsapp-web.js; `cloud` uses Meta's Cloud API. */
    WHATSAPP_MODE: z.enum(['web', 'cloud']).optional(),
    /** Directory where whatsapp-web.js keeps the linked-device session. */
    WHATSAPP_SESSION_DIR: z.string().min(1).default('data/whatsapp-session'),
    /** Chromium binary for whatsapp-web.js; defaults to /usr/bin/chromium when it exists. */
    WHATSAPP_CHROMIUM_PATH: z.string().min(1).optional(),
    /** Phone number to link with a pairing code instead of a QR code; digits only after parsing. */
    WHATSAPP_PAIRING_PHONE: z
      .string()
      .transform((value) => value.replace(/[\s+()-]/g, ''))
      .pipe(z.string().regex(/^\d{8,15}$/, 'expected an international number such as 15550001111'))
      .optional(),
    /** Longest text sent as one WhatsApp message, in characters; longer answers are split. */
    WHATSAPP_MAX_TEXT_LENGTH: z.coerce.number().int().min(200).max(65_536).default(4096),
    WHATSAPP_CLOUD_TOKEN: z.string().min(1).optional(),
    WHATSAPP_CLOUD_PHONE_ID: z.string().min(1).optional(),
    WHATSAPP_CLOUD_APP_SECRET: z.string().min(1).optional(),
    WHATSAPP_CLOUD_VERIFY_TOKEN: z.string().min(1).optional(),
    WHATSAPP_CLOUD_API_URL: z.url().default(DEFAULT_CLOUD_API_URL),
    /** Approved template sent when the 24-hour customer-service window is closed. */
    WHATSAPP_CLOUD_TEMPLATE: z.string().min(1).optional(),
    WHATSAPP_CLOUD_TEMPLATE_LANGUAGE: z.string().min(2).default('en_US'),
  })
  .superRefine((env, ctx) => {
    if (env.WHATSAPP_MODE !== 'cloud') return;
    const required = [
      'WHATSAPP_CLOUD_TOKEN',
      'WHATSAPP_CLOUD_PHONE_ID',
      'WHATSAPP_CLOUD_APP_SECRET',
      'WHATSAPP_CLOUD_VERIFY_TOKEN',
    ] as const;
    for (const key of required) {
      if (!env[key]) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required when WHATSAPP_MODE=cloud` });
      }
    }
  });

export type WhatsAppEnv = z.infer<typeof whatsappEnv>;

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access (issue 8): TOTP second factors (secret encrypted by the app, AES-256-GCM; the last
 * accepted time step, so a code is good once; recovery codes as SHA-256), the short-lived
 * challenges between the password and the code, and failed sign-ins per login for the lockout.
 * None has a practice_id: accounts are cross-practice, like app_user.
 */
export class AccessMfa1796298243299 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "user_mfa" ("user_id" uuid NOT NULL, "secret_encrypted" bytea NOT NULL, "confirmed_at" TIMESTAMP WITH TIME ZONE, "last_used_step" bigint, "recovery_code_hashes" bytea array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "user_mfa_pkey" PRIMARY KEY ("user_id"), CONSTRAINT "user_mfa_user_fk" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE)`,
    );
    await queryRunner.query(
      `CREATE TABLE "mfa_challenge" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" bytea NOT NULL, "user_id" uuid NOT NULL, "purpose" text NOT NULL, "channel" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "mfa_challenge_purpose_check" CHECK ("purpose" IN ('verify', 'enroll')), CONSTRAINT "mfa_challenge_channel_check" CHECK ("channel" IN ('cookie', 'token')), CONSTRAINT "mfa_challenge_token_hash_key" UNIQUE ("token_hash"), CONSTRAINT "mfa_challenge_pkey" PRIMARY KEY ("id"), CONSTRAINT "mfa_challenge_user_fk" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE)`,
    );
    await queryRunner.query('CREATE INDEX "mfa_challenge_expires_idx" ON "mfa_challenge" ("expires_at")');
    await queryRunner.query(
      `CREATE TABLE "login_failure" ("login" text NOT NULL, "failures" integer NOT NULL, "last_failed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "locked_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "login_failure_login_lower" CHECK ("login" = lower("login") AND length("login") BETWEEN 1 AND 100), CONSTRAINT "login_failure_failures_check" CHECK ("failures" >= 1), CONSTRAINT "login_failure_pkey" PRIMARY KEY ("login"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "login_failure"');
    await queryRunner.query('DROP TABLE "mfa_challenge"');
    await queryRunner.query('DROP TABLE "user_mfa"');
  }
}

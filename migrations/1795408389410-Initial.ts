import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795408389410 implements MigrationInterface {
  name = 'Initial1795408389410';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "audit_event" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_user_id" uuid, "actor_login" text, "practice_id" uuid, "action" text NOT NULL, "entity_type" text, "entity_id" text, "outcome" text NOT NULL, "request_id" text, "channel" text, "details" jsonb NOT NULL, CONSTRAINT "audit_event_outcome_check" CHECK ("outcome" IN (\'success\', \'failure\', \'denied\')), CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "audit_event_actor_time_idx" ON "audit_event" ("actor_user_id", "occurred_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "audit_event_practice_time_idx" ON "audit_event" ("practice_id", "occurred_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "practice" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "slug" text NOT NULL, "name" text NOT NULL, "timezone" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_89c09decfcbc66625074caa639e" UNIQUE ("slug"), CONSTRAINT "practice_slug_format" CHECK ("slug" ~ \'^[a-z0-9][a-z0-9-]{1,62}$\'), CONSTRAINT "PK_4d094a10eae690da34cc5b8ea32" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      "CREATE TYPE \"public\".\"user_role\" AS ENUM('admin', 'manager', 'agent', 'owner')",
    );
    await queryRunner.query(
      'CREATE TABLE "app_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "login" text NOT NULL, "display_name" text NOT NULL, "role" "public"."user_role" NOT NULL, "password_hash" text NOT NULL, "is_active" boolean NOT NULL DEFAULT true, "password_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_3548498ed5dc0f4d28dde9d67a6" UNIQUE ("login"), CONSTRAINT "app_user_login_lower" CHECK ("login" = lower("login") AND length("login") BETWEEN 2 AND 100), CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "session" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoke_reason" text, CONSTRAINT "UQ_a83507eb0338ac037780e02f2b9" UNIQUE ("token_hash"), CONSTRAINT "PK_f55da76ac1c3ac420f444d2ff11" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "session_user_idx" ON "session" ("user_id") ');
    await queryRunner.query(
      'CREATE TABLE "user_practice" ("user_id" uuid NOT NULL, "practice_id" uuid NOT NULL, CONSTRAINT "PK_6da9271c68a6cf3c075d6518528" PRIMARY KEY ("user_id", "practice_id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_b0e4a75637d88e04319c1108f4" ON "user_practice" ("user_id") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_6ce5121c9617726b379f228b16" ON "user_practice" ("practice_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "session" ADD CONSTRAINT "session_user_fk" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "user_practice" ADD CONSTRAINT "user_practice_user_fk" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE',
    );
    await queryRunner.query(
      'ALTER TABLE "user_practice" ADD CONSTRAINT "user_practice_practice_fk" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE CASCADE',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "user_practice" DROP CONSTRAINT "user_practice_practice_fk"');
    await queryRunner.query('ALTER TABLE "user_practice" DROP CONSTRAINT "user_practice_user_fk"');
    await queryRunner.query('ALTER TABLE "session" DROP CONSTRAINT "session_user_fk"');
    await queryRunner.query('DROP INDEX "public"."IDX_6ce5121c9617726b379f228b16"');
    await queryRunner.query('DROP INDEX "public"."IDX_b0e4a75637d88e04319c1108f4"');
    await queryRunner.query('DROP TABLE "user_practice"');
    await queryRunner.query('DROP INDEX "public"."session_user_idx"');
    await queryRunner.query('DROP TABLE "session"');
    await queryRunner.query('DROP TABLE "app_user"');
    await queryRunner.query('DROP TYPE "public"."user_role"');
    await queryRunner.query('DROP TABLE "practice"');
    await queryRunner.query('DROP INDEX "public"."audit_event_practice_time_idx"');
    await queryRunner.query('DROP INDEX "public"."audit_event_actor_time_idx"');
    await queryRunner.query('DROP TABLE "audit_event"');
  }
}

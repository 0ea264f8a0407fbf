import { Role } from '@recall/core';
import {
  Column,
  CreateDateColumn,
  Entity,
  Check,
  JoinTable,
  ManyToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Practice } from './practice.entity';

@Entity('app_user')
@Check('app_user_login_lower', `"login" = lower("login") AND length("login") BETWEEN 2 AND 100`)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored lower-case; a unique index on it keeps logins case-insensitively unique. */
  @Column({ type: 'text', unique: true })
  login!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ type: 'enum', enum: Role, enumName: 'user_role' })
  role!: Role;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash!: string;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  @Column({ name: 'password_changed_at', type: 'timestamptz' })
  passwordChangedAt!: Date;

  @ManyToMany(() => Practice)
  @JoinTable({
    name: 'user_practice',
    joinColumn: {
      name: 'user_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'user_practice_user_fk',
    },
    inverseJoinColumn: {
      name: 'practice_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'user_practice_practice_fk',
    },
  })
  practices!: Practice[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

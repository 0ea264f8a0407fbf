import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthJobs } from './auth-jobs';
import { AuthService } from './auth.service';
import { LoginLockoutService } from './login-lockout.service';
import { MfaService } from './mfa.service';
import { Practice, Session, User } from './entities';
import { PracticesService } from './practices.service';
import { SessionsService } from './sessions.service';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([Practice, User, Session])],
  providers: [
    AuthJobs,
    AuthService,
    LoginLockoutService,
    MfaService,
    PracticesService,
    SessionsService,
    UsersService,
  ],
  exports: [AuthService, LoginLockoutService, MfaService, PracticesService, SessionsService, UsersService],
})
export class AuthModule {}

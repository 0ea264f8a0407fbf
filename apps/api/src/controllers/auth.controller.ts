import { Body, Controller, Get, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import {
  AuthService,
  AuthUser,
  MfaEnrollment,
  MfaService,
  MfaStatus,
  SecondStep,
  SignedIn,
} from '@recall/auth';
import { RecallConfig } from '@recall/config';
import { Clock, DomainError } from '@recall/core';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Response } from 'express';
import { NoPatientData } from '../http/audit.decorators';
import { CurrentUser } from '../http/current-user.decorator';
import { AnyRole, Public } from '../http/policy.decorators';
import { SESSION_COOKIE } from '../http/session.guard';

class LoginDto {
  @ApiProperty({ example: 'demo.manager' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  login!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;
}

const CODE_PATTERN = /^\s*(\d{3}\s?\d{3}|[a-zA-Z0-9]{4}-?[a-zA-Z0-9]{4})\s*$/;
const CODE_MESSAGE = 'code: the 6-digit code from the authenticator app, or a recovery code';

class CodeDto {
  @ApiProperty({ example: '123456', description: '6-digit TOTP code, or a recovery code' })
  @IsString()
  @MaxLength(20)
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  code!: string;
}

class ChallengeDto {
  @ApiProperty({ description: 'challengeToken from the password step' })
  @IsString()
  @MinLength(10)
  @MaxLength(100)
  challengeToken!: string;
}

class ChallengeCodeDto extends ChallengeDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @MaxLength(20)
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  code!: string;
}

type BrowserAnswer = { user: AuthUser } | SecondStep;
type TokenAnswer = { token: string; expiresAt: Date; user: AuthUser } | SecondStep;

@ApiTags('auth')
@NoPatientData()
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly mfa: MfaService,
    private readonly config: RecallConfig,
    private readonly clock: Clock,
  ) {}

  @Post('login')
  @Public()
  @UseGuards(ThrottlerGuard)
  @Throttle({ login: {} })
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Browser sign-in: sets an httpOnly session cookie, or answers {mfaRequired | mfaEnrollmentRequired, challengeToken}',
  })
  async login(@Body() body: LoginDto, @Res({ passthrough: true }) res: Response): Promise<BrowserAnswer> {
    const result = await this.auth.login(body.login, body.password, 'cookie');
    if (result.kind === 'second-step') return secondStep(result);
    return this.answer(result, res);
  }

  @Post('token')
  @Public()
  @UseGuards(ThrottlerGuard)
  @Throttle({ login: {} })
  @HttpCode(200)
  @ApiOperation({ summary: 'API sign-in: returns a bearer token (same session and second-factor rules)' })
  async token(@Body() body: LoginDto): Promise<TokenAnswer> {
    const result = await this.auth.login(body.login, body.password, 'token');
    if (result.kind === 'second-step') return secondStep(result);
    const { token, expiresAt, user } = result;
    return { token, expiresAt, user };
  }

  @Post('mfa/verify')
  @Public()
  @UseGuards(ThrottlerGuard)
  @Throttle({ login: {} })
  @HttpCode(200)
  @ApiOperation({ summary: 'Second step of sign-in: the code for the challenge opens the session' })
  async verify(
    @Body() body: ChallengeCodeDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ user: AuthUser } | { token: string; expiresAt: Date; user: AuthUser }> {
    return this.answer(await this.auth.verifyMfa(body.challengeToken, body.code), res);
  }

  @Post('mfa/enroll')
  @Public()
  @UseGuards(ThrottlerGuard)
  @Throttle({ login: {} })
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign-in when the role requires a second factor: a new TOTP secret to scan' })
  enroll(@Body() body: ChallengeDto): Promise<MfaEnrollment> {
    return this.auth.startEnrollment(body.challengeToken);
  }

  @Post('mfa/enroll/confirm')
  @Public()
  @UseGuards(ThrottlerGuard)
  @Throttle({ login: {} })
  @HttpCode(200)
  @ApiOperation({ summary: 'The first code confirms the new secret and opens the session' })
  async confirmEnroll(
    @Body() body: ChallengeCodeDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ recoveryCodes: string[] } & ({ user: AuthUser } | { token: string; expiresAt: Date })> {
    const signedIn = await this.auth.confirmEnrollment(body.challengeToken, body.code);
    return { ...this.answer(signedIn, res), recoveryCodes: signedIn.recoveryCodes };
  }

  @Get('mfa')
  @AnyRole()
  @ApiOperation({ summary: "The signed-in user's second factor: enrolled, required by the role" })
  status(@CurrentUser() user: AuthUser): Promise<MfaStatus> {
    return this.mfa.status(user.id, user.role);
  }

  @Post('mfa/setup')
  @AnyRole()
  @HttpCode(200)
  @ApiOperation({ summary: 'Start setting up a second factor: a new TOTP secret to scan' })
  setup(@CurrentUser() user: AuthUser): Promise<MfaEnrollment> {
    return this.mfa.startEnrollment(user.id, user.login);
  }

  @Post('mfa/confirm')
  @AnyRole()
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the new secret with a code; answers the recovery codes (shown once)' })
  async confirm(@CurrentUser() user: AuthUser, @Body() body: CodeDto): Promise<{ recoveryCodes: string[] }> {
    const confirmed = await this.mfa.confirmEnrollment(user.id, body.code);
    if (!confirmed)
      throw DomainError.invalid("code: wrong code; check the phone's clock and try the next one", {
        field: 'code',
      });
    return confirmed;
  }

  @Post('mfa/disable')
  @AnyRole()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Turn the second factor off (needs a current code; not for roles that require it)',
  })
  async disable(@CurrentUser() user: AuthUser, @Body() body: CodeDto): Promise<void> {
    await this.mfa.disable(user, body.code);
  }

  @Post('logout')
  @AnyRole()
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(user);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('me')
  @AnyRole()
  me(@CurrentUser() user: AuthUser): { user: AuthUser } {
    const { sessionId: _omit, ...rest } = user;
    return { user: rest };
  }

  /** A browser sign-in gets the cookie; an API client's (begun at /token) gets the token. */
  private answer(
    signedIn: SignedIn,
    res: Response,
  ): { user: AuthUser } | { token: string; expiresAt: Date; user: AuthUser } {
    const { token, expiresAt, user } = signedIn;
    if (signedIn.channel === 'token') return { token, expiresAt, user };
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.production,
      path: '/',
      // Relative, so a pinned clock (RECALL_NOW) does not hand the browser an expired cookie.
      maxAge: Math.max(0, expiresAt.getTime() - this.clock.nowDate().getTime()),
    });
    return { user };
  }
}

function secondStep(result: SecondStep): SecondStep {
  const { mfaRequired, mfaEnrollmentRequired, challengeToken, expiresAt } = result;
  return mfaRequired
    ? { mfaRequired, challengeToken, expiresAt }
    : { mfaEnrollmentRequired, challengeToken, expiresAt };
}

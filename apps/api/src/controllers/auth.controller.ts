import { Body, Controller, Get, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { AuthService, AuthUser } from '@recall/auth';
import { RecallConfig } from '@recall/config';
import { Clock } from '@recall/core';
import { IsString, MaxLength, MinLength } from 'class-validator';
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

@ApiTags('auth')
@NoPatientData()
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: RecallConfig,
    private readonly clock: Clock,
  ) {}

  @Post('login')
  @Public()
  @UseGuards(ThrottlerGuard)
  @Throttle({ login: {} })
  @HttpCode(200)
  @ApiOperation({ summary: 'Browser sign-in: sets an httpOnly session cookie' })
  async login(
    @Body() body: LoginDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ user: AuthUser }> {
    const { token, expiresAt, user } = await this.auth.login(body.login, body.password);
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

  @Post('token')
  @Public()
  @UseGuards(ThrottlerGuard)
  @Throttle({ login: {} })
  @HttpCode(200)
  @ApiOperation({ summary: 'API sign-in: returns a bearer token (same session rules as the browser)' })
  async token(@Body() body: LoginDto): Promise<{ token: string; expiresAt: Date; user: AuthUser }> {
    return this.auth.login(body.login, body.password);
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
}

import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuthUser, practiceIdsOf, UsersService, UserView } from '@recall/auth';
import { Role, ROLES } from '@recall/core';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { NoPatientData } from '../http/audit.decorators';
import { CurrentUser } from '../http/current-user.decorator';
import { Roles } from '../http/policy.decorators';

class CreateUserDto {
  @ApiProperty({ example: 'jane.doe' }) @IsString() @MaxLength(100) login!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) displayName?: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: Role;
  @ApiProperty({ type: [String], example: ['demo'] })
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  practiceSlugs!: string[];
  @ApiPropertyOptional({ description: 'Generated (and returned once) when omitted' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;
}

class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) displayName?: string;
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() isActive?: boolean;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  practiceSlugs?: string[];
}

class SetPasswordDto {
  @ApiPropertyOptional({ description: 'Generated (and returned once) when omitted' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;
}

/** Admins manage the users of their own practices. */
@ApiTags('users')
@NoPatientData()
@Controller('api/users')
@Roles(Role.Admin)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  async list(@CurrentUser() admin: AuthUser): Promise<{ items: UserView[] }> {
    return { items: await this.users.list(practiceIdsOf(admin)) };
  }

  @Post()
  create(@CurrentUser() admin: AuthUser, @Body() body: CreateUserDto) {
    return this.users.create(body, practiceIdsOf(admin));
  }

  @Get(':id')
  get(@CurrentUser() admin: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<UserView> {
    return this.users.get(id, practiceIdsOf(admin));
  }

  @Patch(':id')
  update(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.update(id, body, practiceIdsOf(admin));
  }

  @Post(':id/password')
  @HttpCode(200)
  setPassword(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: SetPasswordDto,
  ): Promise<{ generatedPassword?: string }> {
    return this.users.setPassword(id, body.password, practiceIdsOf(admin));
  }

  @Post(':id/mfa/reset')
  @HttpCode(200)
  resetMfa(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<{ hadMfa: boolean }> {
    return this.users.resetMfa(id, practiceIdsOf(admin));
  }

  @Post(':id/revoke-sessions')
  @HttpCode(204)
  async revokeSessions(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.users.revokeSessions(id, practiceIdsOf(admin));
  }
}

import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuthUser, Practice, PracticesService, practiceIdsOf } from '@recall/auth';
import { Role } from '@recall/core';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { NoPatientData } from '../http/audit.decorators';
import { CurrentUser } from '../http/current-user.decorator';
import { AnyRole, Roles } from '../http/policy.decorators';

class CreatePracticeDto {
  @ApiProperty({ example: 'lakeside-family' }) @IsString() @MaxLength(63) slug!: string;
  @ApiPropertyOptional({ example: 'Lakeside Family Medicine' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
  @ApiProperty({ example: 'America/New_York' }) @IsString() @MaxLength(64) timezone!: string;
}

@ApiTags('practices')
@NoPatientData()
@Controller('api/practices')
export class PracticesController {
  constructor(private readonly practices: PracticesService) {}

  /** The practices the caller belongs to. */
  @Get()
  @AnyRole()
  async list(@CurrentUser() user: AuthUser): Promise<{ items: Practice[] }> {
    return { items: await this.practices.list(practiceIdsOf(user)) };
  }

  /** The creating admin becomes a member, so they can add its users. */
  @Post()
  @Roles(Role.Admin)
  create(@CurrentUser() admin: AuthUser, @Body() body: CreatePracticeDto): Promise<Practice> {
    return this.practices.create(body, admin.id);
  }
}

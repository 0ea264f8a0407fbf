import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '@recall/auth';
import { Role } from '@recall/core';
import { IDENTITY_FIELDS, IdentityService } from '@recall/dispositions';
import { ArrayMaxSize, IsArray, IsObject, IsString, MaxLength } from 'class-validator';
import { AuditedInService, NoPatientData } from '../http/audit.decorators';
import { CurrentUser } from '../http/current-user.decorator';
import { PracticeParam } from '../http/practice-param.decorator';
import { Roles } from '../http/policy.decorators';

class IdentityFieldsDto {
  @ApiProperty({ type: [String], enum: IDENTITY_FIELDS, example: ['name', 'dob'] })
  @IsArray()
  @ArrayMaxSize(IDENTITY_FIELDS.length * 2)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  fields!: string[];
}

class IdentityCheckDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'boolean' },
    example: { name: true, dob: false },
    description: "Each of the practice's fields: true = matches, false = does not match",
  })
  @IsObject()
  checks!: Record<string, unknown>;
}

/** The identity check (protocol 001): which fields a practice verifies, and the check on a call. */
@ApiTags('dispositions')
@Controller('api/practices/:practiceId')
export class IdentityController {
  constructor(private readonly identity: IdentityService) {}

  @NoPatientData()
  @Get('protocol/identity')
  @Roles(Role.Agent, Role.Manager, Role.Admin)
  settings(@PracticeParam() practiceId: string) {
    return this.identity.settings(practiceId);
  }

  @AuditedInService('protocol.identity')
  @Put('protocol/identity')
  @Roles(Role.Manager, Role.Admin)
  setFields(@PracticeParam() practiceId: string, @Body() body: IdentityFieldsDto) {
    return this.identity.setFields(practiceId, body.fields);
  }

  /** The agent's answers on their started call; once per call. */
  @AuditedInService('call.identity')
  @Post('calls/:callStartId/identity')
  @Roles(Role.Agent, Role.Manager, Role.Admin)
  @HttpCode(200)
  check(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Param('callStartId', ParseUUIDPipe) callStartId: string,
    @Body() body: IdentityCheckDto,
  ) {
    return this.identity.recordCheck(practiceId, callStartId, user.id, body.checks);
  }
}

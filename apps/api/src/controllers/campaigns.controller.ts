import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '@recall/auth';
import {
  CAMPAIGN_TYPES,
  CampaignsService,
  computePlan,
  resolvePlanInputs,
  type PlanInputs,
} from '@recall/campaigns';
import { Role } from '@recall/core';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Audited, AuditedInService, NoPatientData } from '../http/audit.decorators';
import { CurrentUser } from '../http/current-user.decorator';
import { PracticeParam } from '../http/practice-param.decorator';
import { Roles } from '../http/policy.decorators';

class CampaignPatchDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(120) name?: string;
  @ApiPropertyOptional({ type: [String], description: 'Agent user ids (replaces the assigned agents)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  agentIds?: string[];
  @ApiPropertyOptional({ description: 'Target rule fields over the current rule (null removes one)' })
  @IsOptional()
  @IsObject()
  rule?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Campaign settings over the current ones' })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20_000) script?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20_000) voicemailScript?: string;
}

class NewCampaignDto extends CampaignPatchDto {
  @ApiProperty({ enum: CAMPAIGN_TYPES }) @IsIn(CAMPAIGN_TYPES) type!: string;
  @ApiProperty() @IsString() @MaxLength(120) declare name: string;
}

class PlanInputsDto implements Partial<PlanInputs> {
  @ApiPropertyOptional({ example: 200 }) @IsOptional() @IsNumber() dialsPerAgentPerDay?: number;
  @ApiPropertyOptional({ example: 0.2 }) @IsOptional() @IsNumber() pickupRate?: number;
  @ApiPropertyOptional({ example: 0.625 }) @IsOptional() @IsNumber() bookingRate?: number;
  @ApiPropertyOptional({ example: 0.7 }) @IsOptional() @IsNumber() showRate?: number;
  @ApiPropertyOptional({ example: 100 }) @IsOptional() @IsNumber() revenuePerVisit?: number;
  @ApiPropertyOptional({ example: 1760 }) @IsOptional() @IsNumber() agentMonthlyCost?: number;
  @ApiPropertyOptional({ example: 52 / 12 }) @IsOptional() @IsNumber() weeksPerMonth?: number;
  @ApiPropertyOptional({ example: 2000 }) @IsOptional() @IsNumber() numbersPerAgentPerMonth?: number;
  @ApiPropertyOptional({ example: 5 }) @IsOptional() @IsNumber() workingDaysPerWeek?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber() agents?: number;
}

class PlanPreviewDto {
  @ApiProperty({ type: PlanInputsDto }) @IsObject() inputs!: Partial<PlanInputs>;
  @ApiProperty({ example: 4000 }) @Type(() => Number) @IsInt() @Min(0) @Max(100_000_000) patients!: number;
}

class PageQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

class ExplainQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() patientId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) mrn?: string;
}

class ScriptQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() patientId?: string;
}

/** The campaign catalogue and the plan calculator: no practice data involved. */
@ApiTags('campaigns')
@NoPatientData()
@Controller('api')
@Roles(Role.Manager, Role.Admin, Role.Owner)
export class CampaignCatalogueController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get('campaign-types')
  types() {
    return { items: this.campaigns.catalogue() };
  }

  @Post('plan')
  @HttpCode(200)
  plan(@Body() body: PlanPreviewDto) {
    return computePlan(resolvePlanInputs(body.inputs), body.patients);
  }
}

@ApiTags('campaigns')
@Controller('api/practices/:practiceId')
@Roles(Role.Manager, Role.Admin)
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @NoPatientData()
  @Get('agents')
  async agents(@PracticeParam() practiceId: string) {
    return { items: await this.campaigns.agents(practiceId) };
  }

  /** Inbound booking: the patient called in and booked; they leave every open campaign. */
  @AuditedInService('patient.booked')
  @Post('patients/:patientId/booked')
  @HttpCode(200)
  @Roles(Role.Agent, Role.Manager, Role.Admin)
  booked(@PracticeParam() practiceId: string, @Param('patientId', ParseUUIDPipe) patientId: string) {
    return this.campaigns.markBooked(practiceId, patientId);
  }

  @NoPatientData()
  @Get('campaigns')
  @Roles(Role.Manager, Role.Admin, Role.Owner)
  async list(@PracticeParam() practiceId: string) {
    return { items: await this.campaigns.list(practiceId) };
  }

  @AuditedInService('campaign.create')
  @Post('campaigns')
  create(@PracticeParam() practiceId: string, @CurrentUser() user: AuthUser, @Body() body: NewCampaignDto) {
    return this.campaigns.create(practiceId, body, user.id);
  }

  @NoPatientData()
  @Get('campaigns/:campaignId')
  @Roles(Role.Manager, Role.Admin, Role.Owner)
  get(@PracticeParam() practiceId: string, @Param('campaignId', ParseUUIDPipe) id: string) {
    return this.campaigns.get(practiceId, id);
  }

  @AuditedInService('campaign.update')
  @Patch('campaigns/:campaignId')
  update(
    @PracticeParam() practiceId: string,
    @Param('campaignId', ParseUUIDPipe) id: string,
    @Body() body: CampaignPatchDto,
  ) {
    return this.campaigns.update(practiceId, id, body);
  }

  @NoPatientData()
  @Get('campaigns/:campaignId/eligibility')
  @Roles(Role.Manager, Role.Admin, Role.Owner)
  eligibility(@PracticeParam() practiceId: string, @Param('campaignId', ParseUUIDPipe) id: string) {
    return this.campaigns.eligibility(practiceId, id);
  }

  @Audited('campaign.eligibility-list', 'patient')
  @Get('campaigns/:campaignId/eligibility/:reason')
  eligibilityList(
    @PracticeParam() practiceId: string,
    @Param('campaignId', ParseUUIDPipe) id: string,
    @Param('reason') reason: string,
    @Query() query: PageQuery,
  ) {
    return this.campaigns.eligibilityList(practiceId, id, reason, query);
  }

  @Audited('campaign.explain', 'patient', { shown: (b) => [(b as { patient: { id: string } }).patient.id] })
  @Get('campaigns/:campaignId/explain')
  explain(
    @PracticeParam() practiceId: string,
    @Param('campaignId', ParseUUIDPipe) id: string,
    @Query() query: ExplainQuery,
  ) {
    return this.campaigns.explain(practiceId, id, query);
  }

  @AuditedInService('campaign.plan')
  @Put('campaigns/:campaignId/plan')
  savePlan(
    @PracticeParam() practiceId: string,
    @Param('campaignId', ParseUUIDPipe) id: string,
    @Body() body: PlanInputsDto,
  ) {
    return this.campaigns.savePlan(practiceId, id, body);
  }

  @Audited('campaign.script', 'patient', {
    shown: (_b, req) => (req.query.patientId ? [String(req.query.patientId)] : []),
  })
  @Get('campaigns/:campaignId/script')
  script(
    @PracticeParam() practiceId: string,
    @CurrentUser() user: AuthUser,
    @Param('campaignId', ParseUUIDPipe) id: string,
    @Query() query: ScriptQuery,
  ) {
    return this.campaigns.renderScripts(practiceId, id, { patientId: query.patientId, agent: user });
  }

  // One route per action: a `:action` parameter would also catch …/cycles and the like.
  @AuditedInService('campaign.launch')
  @Post('campaigns/:campaignId/launch')
  @HttpCode(200)
  launch(@PracticeParam() practiceId: string, @Param('campaignId', ParseUUIDPipe) id: string) {
    return this.campaigns.transition(practiceId, id, 'launch');
  }

  @AuditedInService('campaign.pause')
  @Post('campaigns/:campaignId/pause')
  @HttpCode(200)
  pause(@PracticeParam() practiceId: string, @Param('campaignId', ParseUUIDPipe) id: string) {
    return this.campaigns.transition(practiceId, id, 'pause');
  }

  @AuditedInService('campaign.resume')
  @Post('campaigns/:campaignId/resume')
  @HttpCode(200)
  resume(@PracticeParam() practiceId: string, @Param('campaignId', ParseUUIDPipe) id: string) {
    return this.campaigns.transition(practiceId, id, 'resume');
  }

  @AuditedInService('campaign.complete')
  @Post('campaigns/:campaignId/complete')
  @HttpCode(200)
  complete(@PracticeParam() practiceId: string, @Param('campaignId', ParseUUIDPipe) id: string) {
    return this.campaigns.transition(practiceId, id, 'complete');
  }
}

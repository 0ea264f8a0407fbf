import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '@recall/auth';
import { Role } from '@recall/core';
import { QA_CRITERIA, QA_SCALE, QA_SCALE_LABELS, QualityService } from '@recall/quality';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Audited, AuditedInService, NoPatientData } from '../http/audit.decorators';
import { CurrentUser } from '../http/current-user.decorator';
import { PracticeParam } from '../http/practice-param.decorator';
import { AnyRole, Roles } from '../http/policy.decorators';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

class SettingsDto {
  @ApiProperty({ example: 0.1, description: 'Share of each agent’s contacts sampled daily (0–1)' })
  @IsNumber()
  @Min(0)
  @Max(1)
  sampleShare!: number;
}

class SampleDto {
  @ApiPropertyOptional({ example: '2026-06-15', description: 'Practice-local day (default: yesterday)' })
  @IsOptional()
  @Matches(DAY, { message: 'day must be YYYY-MM-DD' })
  day?: string;
  @ApiPropertyOptional({ description: 'Re-draw with a known seed (default: a random one, stored)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  seed?: number;
}

class ReviewsQuery {
  @ApiPropertyOptional({ enum: ['pending', 'scored', 'all'] })
  @IsOptional()
  @IsIn(['pending', 'scored', 'all'])
  state?: 'pending' | 'scored' | 'all';
  @ApiPropertyOptional() @IsOptional() @IsUUID() agentId?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

class PickDto {
  @ApiProperty({ description: 'The call (attempt) to review' }) @IsUUID() attemptId!: string;
}

class ScoreDto {
  @ApiProperty({
    description: `Each criterion 1–5: ${QA_CRITERIA.map((c) => c.key).join(', ')}`,
    example: Object.fromEntries(QA_CRITERIA.map((c) => [c.key, 4])),
  })
  @IsObject()
  scores!: Record<string, number>;
  @ApiProperty({ description: 'Was the disposition code right?' }) @IsBoolean() codeCorrect!: boolean;
  @ApiPropertyOptional({ description: 'Calls with an appointment: was it booked as the notes say?' })
  @IsOptional()
  @IsBoolean()
  appointmentCorrect?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) comments?: string;
}

class CallsQuery {
  @ApiPropertyOptional({ example: '2026-06-15' })
  @IsOptional()
  @Matches(DAY, { message: 'day must be YYYY-MM-DD' })
  day?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() agentId?: string;
}

/** QA: the daily sample, the supervisors' review queue and score sheets, the agents' own scores. */
@ApiTags('quality')
@Controller('api/practices/:practiceId/qa')
export class QualityController {
  constructor(private readonly quality: QualityService) {}

  @NoPatientData()
  @Get('criteria')
  @AnyRole()
  criteria() {
    return {
      items: QA_CRITERIA.map(({ key, label }) => ({ key, label })),
      scale: QA_SCALE,
      labels: QA_SCALE_LABELS,
    };
  }

  @NoPatientData()
  @Get('settings')
  @Roles(Role.Manager, Role.Admin)
  settings(@PracticeParam() practiceId: string) {
    return this.quality.settings(practiceId);
  }

  @NoPatientData()
  @Put('settings')
  @Roles(Role.Manager, Role.Admin)
  updateSettings(
    @PracticeParam() practiceId: string,
    @Body() body: SettingsDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.quality.updateSettings(practiceId, body, user.id);
  }

  @Audited('qa.samples', 'qa_sample')
  @Get('samples')
  @Roles(Role.Manager, Role.Admin)
  async samples(@PracticeParam() practiceId: string) {
    return { items: await this.quality.samples(practiceId) };
  }

  /** Draws a day's sample now (the daily job does yesterday's on its own); a sampled day answers as stored. */
  @AuditedInService('qa.sample')
  @Post('samples')
  @Roles(Role.Manager, Role.Admin)
  @HttpCode(200)
  sample(@PracticeParam() practiceId: string, @Body() body: SampleDto, @CurrentUser() user: AuthUser) {
    return this.quality.sampleDay(practiceId, { day: body.day, seed: body.seed, by: user.id });
  }

  @Audited('qa.reviews', 'qa_review')
  @Get('reviews')
  @Roles(Role.Manager, Role.Admin)
  async queue(@PracticeParam() practiceId: string, @Query() query: ReviewsQuery) {
    return { items: await this.quality.queue(practiceId, query) };
  }

  /** A supervisor picks any call to review. */
  @AuditedInService('qa.pick')
  @Post('reviews')
  @Roles(Role.Manager, Role.Admin)
  @HttpCode(200)
  pick(@PracticeParam() practiceId: string, @Body() body: PickDto, @CurrentUser() user: AuthUser) {
    return this.quality.pick(practiceId, body.attemptId, user.id);
  }

  /** A review with its call; agents read their own scored ones only. */
  @Audited('qa.review', 'qa_review', { entityParam: 'reviewId' })
  @Get('reviews/:reviewId')
  @Roles(Role.Agent, Role.Manager, Role.Admin)
  review(
    @PracticeParam() practiceId: string,
    @Param('reviewId', ParseUUIDPipe) reviewId: string,
    @CurrentUser() user: AuthUser,
  ) {
    return this.quality.get(practiceId, reviewId, user);
  }

  @AuditedInService('qa.score')
  @Put('reviews/:reviewId/score')
  @Roles(Role.Manager, Role.Admin)
  score(
    @PracticeParam() practiceId: string,
    @Param('reviewId', ParseUUIDPipe) reviewId: string,
    @Body() body: ScoreDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.quality.score(practiceId, reviewId, body, user);
  }

  /** The signed-in agent's scored reviews: scores and comments. */
  @Audited('qa.mine', 'qa_review')
  @Get('mine')
  @Roles(Role.Agent, Role.Manager, Role.Admin)
  async mine(@PracticeParam() practiceId: string, @CurrentUser() user: AuthUser) {
    return { items: await this.quality.mine(practiceId, user.id) };
  }

  /** A day's calls, to pick one to review. */
  @Audited('qa.calls', 'call_attempt')
  @Get('calls')
  @Roles(Role.Manager, Role.Admin)
  async calls(@PracticeParam() practiceId: string, @Query() query: CallsQuery) {
    return { items: await this.quality.calls(practiceId, query) };
  }
}

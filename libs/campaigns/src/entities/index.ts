export * from './campaign.entity';
export * from './campaign-agent.entity';
export * from './campaign-member.entity';
export * from './contact.entity';

import type { CampaignType } from '../campaign-types';

export interface CampaignScripts {
  /** What the agent says on a live call; lines in parentheses are notes for the agent. */
  script: string;
  /** What the agent leaves on voicemail: minimum necessary, no reason for the call. */
  voicemail: string;
}

const PATIENT_OPENING = `OPENING
"Hi, may I speak with {patient.fullName}?"
"Hi {patient.firstName}, this is {agent.firstName} calling from {practice.name}. How are you today?"
(Before saying why you are calling, confirm you are speaking with the patient: ask them to confirm their date of birth.)
(If someone else answers: do not say why you are calling. Ask when {patient.firstName} is usually available, thank them, and record UNAVLBL.)`;

const PATIENT_NOT_NOW = `IF "NOT NOW"
(Busy right now:) "No problem at all. When would be a better time for me to call you back?" (Record CBACK with the date and time they give.)
(Already booked:) "Great! Let me make sure we have the same date." (Check it against {nextAppointment.date}; record RECONFIRMED.)
(Found another doctor, or no longer needs care:) "I'm glad you're taken care of. If anything changes, you can reach us at {campaign.callbackNumber}." (Record LOST.)
(Asks not to be called again:) "I understand, and I'm sorry for the bother. I'll make sure you're not called again." (Record DNC.)
(Mentions a lawyer, legal action, a complaint, social media, or has called about the same issue three or more times: stay calm, empathise, and transfer to a manager now.)`;

const PATIENT_CLOSING = `CLOSING
(After booking:) "You're all set for [day, date and time] with {provider.name} at {location.name}. Is this still the best number to reach you?"
"Please bring your insurance card and a photo ID. If anything comes up, call us at {campaign.callbackNumber} and we'll find another time."
"Thank you, {patient.firstName}. Have a great day!" (Record DONE with the appointment date.)`;

const CONTACT_NOT_NOW = `IF "NOT NOW"
(Busy right now:) "I completely understand. When would be a better time to reach you?" (Record CBACK with the date and time.)
(Not the right person:) "Who would be the best person to speak with about patient referrals?" (Note their name and direct number.)
(Not interested:) "Thank you for your time. May I send our information, in case it's useful later?"
(Asks not to be called again:) "Of course. I'll make sure we don't call again." (Record DNC.)`;

const CONTACT_CLOSING = `CLOSING
"Thank you, {contact.name}. If you need anything, you can reach us at {campaign.callbackNumber}."
(Note what you learned: decision makers, referral process, preferred contact. The next touch is in two to three weeks.)`;

function patientScript(purpose: string, offer: string): string {
  return [PATIENT_OPENING, purpose, offer, PATIENT_NOT_NOW, PATIENT_CLOSING].join('\n\n');
}

function contactScript(opening: string, purpose: string, offer: string): string {
  return [opening, purpose, offer, CONTACT_NOT_NOW, CONTACT_CLOSING].join('\n\n');
}

const CONTACT_OPENING = `OPENING
"Hi, this is {agent.firstName} calling from {practice.name}. May I speak with {contact.name}?"
(If {contact.name} is not available: ask for the best time to call, or who else handles referrals at {contact.organisation}.)`;

function patientVoicemail(ask: string): string {
  return `"Hi, this message is for {patient.firstName}. This is {agent.firstName} calling from {practice.name}.
${ask} at {campaign.callbackNumber}. Again, that's {campaign.callbackNumber}.
Thank you, and have a great day."`;
}

function contactVoicemail(ask: string): string {
  return `"Hello, this is {agent.firstName} calling from {practice.name}.
${ask} at {campaign.callbackNumber}. Again, that's {campaign.callbackNumber}.
Thank you!"`;
}

/** The default call and voicemail script of each campaign type; every campaign may edit its own copy. */
export const DEFAULT_SCRIPTS: Record<CampaignType, CampaignScripts> = {
  reactivation: {
    script: patientScript(
      `PURPOSE
"I'm calling because it's been a while since we last saw you: your last visit was on {lastVisit.date}. We'd like to get you back in so nothing falls through the cracks, and {provider.name} would be happy to see you again."
(Ask how they have been, and listen.)`,
      `OFFER TO BOOK
"I can get you on the schedule at {location.name}. Do mornings or afternoons work better for you?"
"If it's hard to get to the office, we can also set up a video visit with the doctor, so you don't have to travel or take time off work."`,
    ),
    voicemail: patientVoicemail('When you have a moment, please give us a call back'),
  },
  no_show: {
    script: patientScript(
      `PURPOSE
"I'm calling because we missed you at your appointment on {lastAppointment.date}. Are you OK? What happened?"
(Listen. Many patients miss appointments because of work or travel.)
"We looked at why you needed the appointment in the first place, and we'd still like {provider.name} to take a look, so it doesn't come back later on."`,
      `OFFER TO BOOK
"Let's find a time that works for you, as soon as possible. Would a video visit be easier? You wouldn't have to travel or take time off work."
(Book the earliest slot they accept, not two weeks out. If they would rather come in, book an office visit at {location.name}.)`,
    ),
    voicemail: patientVoicemail('Please give us a call back'),
  },
  cancelled: {
    script: patientScript(
      `PURPOSE
"I'm calling about your appointment on {lastAppointment.date}, which was {lastAppointment.status}, to get you rescheduled."
(If the practice cancelled it:) "We're sorry we had to cancel. {provider.name} would still like to see you, to help decide on your care plan and next steps."
(If the patient cancelled it:) "We looked at why you had needed the appointment in the first place, and we feel {provider.name} should definitely take a look at it, so it doesn't come back later on. Have you seen a doctor for this yet?"`,
      `OFFER TO BOOK
"I can offer you a time at {location.name}, or a video visit with the doctor if that's easier, so you don't have to travel or take time off work. What works best for you?"
(Book the earliest slot they accept.)`,
    ),
    voicemail: patientVoicemail('Please call us back when you have a moment'),
  },
  no_encounters: {
    script: patientScript(
      `PURPOSE
"I'm calling because you registered with {practice.name}, but we haven't had the chance to see you yet. I'd like to help you get your first visit on the calendar."
(Ask whether they still need care, and whether they have any questions about the practice: providers, locations, hours, insurance.)`,
      `OFFER TO BOOK
"Our providers are taking new patients at {location.name}. Do mornings or afternoons work better for you?"
"We also offer video visits, if that's easier for your first appointment."`,
    ),
    voicemail: patientVoicemail('Please give us a call back'),
  },
  patient_reviews: {
    script: patientScript(
      `PURPOSE
"I'm calling to thank you for coming in on {lastVisit.date}. How was your visit with {provider.name}? Is there anything we could have done better?"
(Listen. If they had a bad experience: apologise, note the details, offer a call back from the office manager, and do not ask for a review.)`,
      `ASK FOR A REVIEW
(If they had a good experience:) "I'm so glad to hear that. Reviews help other people find us. Would you be willing to leave us a short online review? I can text you the link right now."
(Confirm the mobile number to text. Never offer anything in return for a review.)
"And is there anything else we can help you with, such as booking your next visit?"`,
    ),
    voicemail: patientVoicemail('When you have a moment, please give us a call back'),
  },
  patient_referrals: {
    script: patientScript(
      `PURPOSE
"I'm calling to check in after your visit on {lastVisit.date}. How are you doing? Did everything go well with {provider.name}?"
"As you know, we're a growing practice, and most of our new patients come from people like you. Can you think of anyone, such as family, friends or co-workers, that you would recommend our doctors to?"`,
      `TAKE THE REFERRAL
(If they mention someone: note the name and phone number, and ask:) "Is it OK if we mention that you recommended us?"
(When you call the person they referred, say only:) "Hi, I'm calling from {practice.name}. {patient.firstName} recommended {provider.name} to you, and asked us to give you a call." (Never share anything about {patient.firstName}'s care.)
"Why don't I text you our locations and phone number, so you can forward them to friends and family?"`,
    ),
    voicemail: patientVoicemail('When you have a moment, please give us a call back'),
  },
  existing_partners: {
    script: contactScript(
      CONTACT_OPENING,
      `PURPOSE
"I'm calling to thank you and the team at {contact.organisation} for the patients you send us. We really appreciate the trust."
"How are things going on your side? Is there anything that would make referring easier, such as quicker appointments for your patients, updated referral forms, or a direct line for your staff?"
(Listen, and note anything the practice should follow up on.)`,
      `OFFER
"Would it help if someone from our office stopped by, or set up a short call with your team? We'd love to hear how we can serve your patients better."
(If yes: book a meeting with the decision maker and note the date.)`,
    ),
    voicemail: contactVoicemail('Please give me a call back'),
  },
  new_partners: {
    script: contactScript(
      CONTACT_OPENING,
      `PURPOSE
"I'd like to introduce {practice.name}. We'd love to be a resource for your patients when they need a referral."
(Mention what sets the practice apart: its doctors, how soon new patients are seen, video visits, locations, languages spoken.)
"Who at {contact.organisation} usually decides where patients are referred?"`,
      `OFFER
"Could we set up a short meeting between our office and your team, to see whether we'd be a good fit for your patients?"
"May I send you our referral information and a direct number for your staff?"
(It takes several touches to build a relationship: don't push for a referral on the first call.)`,
    ),
    voicemail: contactVoicemail('Please give me a call back'),
  },
  community_outreach: {
    script: contactScript(
      CONTACT_OPENING,
      `PURPOSE
"I'm calling organisations in our neighbourhood to let them know how {practice.name} can be of service."
"We help people in the community with [the practice's specialty and common concerns], and our doctors can also see patients by video call. If you know of anyone who needs help, could you let them know about us?"
(You are introducing the practice: the goal is awareness, not an appointment. Answer questions.)`,
      `OFFER
"Why don't I send you a text or an email with our locations and phone number, so you can share it with your members, staff or families?"
(Ask whether they would like flyers, or a talk from the practice at an upcoming event.)
(If they want help themselves:) "Sure, I can set up a visit or a video call with one of our doctors."`,
    ),
    voicemail: contactVoicemail('Please give me a call back'),
  },
  win_back: {
    script: patientScript(
      `PURPOSE
"I'm calling to check in. It's been a while since we last saw you, and we want to make sure you're getting the care you need."
(If they found another doctor:) "That's great, I'm glad you're taken care of. If there's anything about your experience with us that we could have done better, I'd really like to hear it."
(Listen, and note the feedback.)`,
      `OFFER TO BOOK
"If you'd like to come back, {provider.name} would be happy to see you. I can find you a time at {location.name}, or set up a video visit if that's easier."`,
    ),
    voicemail: patientVoicemail('When you have a moment, please give us a call back'),
  },
};

/**
 * The default mapping profile: the header spellings common in Australian lead exports.
 *
 * Every named profile extends it. Spellings match case-, space-, underscore- and dash-insensitively,
 * so `Mobile Phone` here also matches `MOBILE_PHONE` and `mobile-phone`.
 */
import { type MappingProfile, parseMappingProfile } from './mapping-profile';

/** The name {@link DEFAULT_MAPPING_PROFILE} is resolved by; a named profile cannot take it. */
export const DEFAULT_PROFILE_NAME = 'default';

/** The default profile, validated like any other document when this module loads. */
export const DEFAULT_MAPPING_PROFILE: MappingProfile = parseMappingProfile({
  name: DEFAULT_PROFILE_NAME,
  description: 'Common header spellings; every named profile extends this one.',
  columns: {
    'Phone 1': 'phone1',
    Phone: 'phone1',
    'Phone Number': 'phone1',
    Mobile: 'phone1',
    'Mobile Phone': 'phone1',
    'Mobile Number': 'phone1',
    Cell: 'phone1',
    'Cell Phone': 'phone1',
    'Phone 2': 'phone2',
    'Home Phone': 'phone2',
    Landline: 'phone2',
    'Phone 3': 'phone3',
    'Work Phone': 'phone3',
    'Customer Key': 'customerKey',
    'Customer ID': 'customerKey',
    'External ID': 'customerKey',
    'Account Number': 'customerKey',
    'Time Zone': 'timezone',
    TZ: 'timezone',
    Email: 'leadData.email',
    'Email Address': 'leadData.email',
    'First Name': 'leadData.firstName',
    'Last Name': 'leadData.lastName',
    Name: 'leadData.name',
    'Full Name': 'leadData.name',
    State: 'state',
    'List ID': 'listId',
    'Next Attempt': 'nextAttemptTimestamp',
    'Next Attempt Timestamp': 'nextAttemptTimestamp',
    'Callback Time': 'nextAttemptTimestamp',
    'Status Code': 'statusCode',
    'Agent ID': 'agentId',
  },
  leadDataKeys: 'sanitise',
});

// The tutors' Cognito accounts (issue 12, finding 8): created once with a verified address and
// Cognito's invitation, always put in the group, safe to run twice; locally a no-op.
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  InternalErrorException,
  UsernameExistsException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CognitoStaffAccounts,
  localStaffAccounts,
  staffAccountsFor,
  tutorsGroup,
  userPoolIdEnv,
} from '../../../functions/shared/staff-accounts.js';

const userPoolId = 'eu-north-1_TestPool';
const tuula = { email: 'tuula@example.fi', name: 'Tuula Tutor' };
const cognito = mockClient(CognitoIdentityProviderClient);
const accounts = () => new CognitoStaffAccounts(userPoolId, new CognitoIdentityProviderClient({ region: 'eu-north-1' }));
const metadata = { $metadata: {} };

afterEach(() => cognito.reset());

const calls = () => cognito.calls().map((call) => [call.args[0].constructor.name, call.args[0].input]);
const addedToGroup = ['AdminAddUserToGroupCommand', { UserPoolId: userPoolId, Username: tuula.email, GroupName: tutorsGroup }];

describe('CognitoStaffAccounts.ensureTutor', () => {
  it('creates a missing user with the address verified and the invitation by email, then adds it to tutors', async () => {
    cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: 'User does not exist.', ...metadata }));
    cognito.on(AdminCreateUserCommand).resolves({});
    cognito.on(AdminAddUserToGroupCommand).resolves({});

    await expect(accounts().ensureTutor(tuula)).resolves.toBe('created');
    expect(calls()).toEqual([
      ['AdminGetUserCommand', { UserPoolId: userPoolId, Username: tuula.email }],
      [
        'AdminCreateUserCommand',
        {
          UserPoolId: userPoolId,
          Username: tuula.email,
          UserAttributes: [
            { Name: 'email', Value: tuula.email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: tuula.name },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        },
      ],
      addedToGroup,
    ]);
    // No MessageAction: neither SUPPRESS (the tutor would get no password) nor RESEND.
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input).not.toHaveProperty('MessageAction');
  });

  it('leaves an existing user as it is (no second invitation) and still adds it to the group', async () => {
    cognito.on(AdminGetUserCommand).resolves({ Username: 'a-sub', Enabled: true });
    cognito.on(AdminAddUserToGroupCommand).resolves({});

    await expect(accounts().ensureTutor(tuula)).resolves.toBe('existed');
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
    expect(calls().at(-1)).toEqual(addedToGroup);
  });

  it('run twice: created, then existed, in the group both times', async () => {
    const stub = accounts();
    cognito
      .on(AdminGetUserCommand)
      .rejectsOnce(new UserNotFoundException({ message: 'User does not exist.', ...metadata }))
      .resolves({ Username: 'a-sub' });
    cognito.on(AdminCreateUserCommand).resolves({});
    cognito.on(AdminAddUserToGroupCommand).resolves({});

    expect(await stub.ensureTutor(tuula)).toBe('created');
    expect(await stub.ensureTutor(tuula)).toBe('existed');
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(1);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(2);
  });

  it('takes a user created concurrently between its read and its create as existed, and adds it to the group', async () => {
    cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: 'User does not exist.', ...metadata }));
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'An account with the given email already exists.', ...metadata }));
    cognito.on(AdminAddUserToGroupCommand).resolves({});

    await expect(accounts().ensureTutor(tuula)).resolves.toBe('existed');
    expect(calls().at(-1)).toEqual(addedToGroup);
  });

  it('passes any other failure on (the request fails and can be sent again), without touching the group', async () => {
    cognito.on(AdminGetUserCommand).rejects(new InternalErrorException({ message: 'boom', ...metadata }));
    await expect(accounts().ensureTutor(tuula)).rejects.toBeInstanceOf(InternalErrorException);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);

    cognito.reset();
    cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: 'User does not exist.', ...metadata }));
    const refused = new CognitoIdentityProviderServiceException({
      name: 'InvalidParameterException',
      $fault: 'client',
      message: 'Invalid email address format.',
      ...metadata,
    });
    cognito.on(AdminCreateUserCommand).rejects(refused);
    await expect(accounts().ensureTutor(tuula)).rejects.toBe(refused);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
  });

  it('fails when the group cannot be joined, so the caller does not report a tutor who cannot sign in as done', async () => {
    cognito.on(AdminGetUserCommand).resolves({ Username: 'a-sub' });
    cognito.on(AdminAddUserToGroupCommand).rejects(new InternalErrorException({ message: 'boom', ...metadata }));
    await expect(accounts().ensureTutor(tuula)).rejects.toBeInstanceOf(InternalErrorException);
  });
});

describe('which accounts a process gets', () => {
  it('Cognito when the stack names the user pool, the local no-op otherwise', () => {
    expect(staffAccountsFor({ [userPoolIdEnv]: userPoolId })).toBeInstanceOf(CognitoStaffAccounts);
    expect(staffAccountsFor({})).toBe(localStaffAccounts);
    expect(staffAccountsFor({ [userPoolIdEnv]: '' })).toBe(localStaffAccounts);
  });

  it('locally answers existed and calls nothing', async () => {
    await expect(localStaffAccounts.ensureTutor(tuula)).resolves.toBe('existed');
    expect(cognito.calls()).toHaveLength(0);
  });
});

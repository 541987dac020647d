// Staff sign-in accounts as a port. On AWS a tutor signs in through the Cognito user pool, so adding a
// tutor to the roster (POST /tutors) also makes sure the tutor has a user there, in the group `tutors`,
// and a coordinator needs no AWS CLI for accounts (issue 12, finding 8). The local runtime has no
// Cognito (local/auth.ts signs its own tokens for any address), so there the port does nothing.
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

export interface StaffAccounts {
  /**
   * Makes sure a user with this address exists and is in the tutors' group: 'created' when it made the
   * user (Cognito mails the invitation with a temporary password), 'existed' when the user was there
   * already. Safe to run twice: an existing user is only added to the group again, which is a no-op,
   * so the same POST /tutors sent again heals a first call that failed half-way.
   */
  ensureTutor(input: { email: string; name: string }): Promise<'created' | 'existed'>;
}

/** The variable naming the user pool; the CDK stack sets it on the handlers with the need `manage-tutor-accounts`. */
export const userPoolIdEnv = 'USER_POOL_ID';

/** The Cognito group of tutors (infra/wiring.ts `roleGroups.tutor`; kept literal so no handler imports the wiring table for it). */
export const tutorsGroup = 'tutors';

/** What the port needs of the SDK client: only `send` (a stub in the unit tests). */
export type CognitoSender = Pick<CognitoIdentityProviderClient, 'send'>;

export class CognitoStaffAccounts implements StaffAccounts {
  constructor(
    private readonly userPoolId: string,
    private readonly client: CognitoSender = new CognitoIdentityProviderClient({}),
  ) {}

  async ensureTutor(input: { email: string; name: string }): Promise<'created' | 'existed'> {
    const outcome = (await this.exists(input.email)) ? 'existed' : await this.create(input);
    await this.client.send(
      new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: input.email, GroupName: tutorsGroup }),
    );
    return outcome;
  }

  private async exists(email: string): Promise<boolean> {
    try {
      await this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: email }));
      return true;
    } catch (error) {
      if (errorName(error) === 'UserNotFoundException') return false;
      throw error;
    }
  }

  private async create(input: { email: string; name: string }): Promise<'created' | 'existed'> {
    try {
      await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          // The pool signs in by email (usernameAttributes), so the address is the username.
          Username: input.email,
          // Verified by the coordinator who adds the tutor: handlers require email_verified, and the
          // invitation goes to this address, so only its owner can sign in with it.
          UserAttributes: [
            { Name: 'email', Value: input.email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: input.name },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      return 'created';
    } catch (error) {
      // Created by a concurrent request between our read and our create: it exists, which is all we want.
      if (errorName(error) === 'UsernameExistsException') return 'existed';
      throw error;
    }
  }
}

/** The local runtime's: no user pool to manage, every address may sign in through /dev/token. */
export const localStaffAccounts: StaffAccounts = {
  ensureTutor: async () => 'existed',
};

let fromEnvironment: StaffAccounts | undefined;

/** The port of this process, made once (for the composition roots). */
export function staffAccounts(): StaffAccounts {
  fromEnvironment ??= staffAccountsFor(process.env);
  return fromEnvironment;
}

/**
 * The Cognito accounts when the user pool is configured (on AWS), the local no-op otherwise (the local
 * runtime sets no USER_POOL_ID). test/infra checks that the stack sets it where the port is used.
 */
export function staffAccountsFor(env: NodeJS.ProcessEnv): StaffAccounts {
  const userPoolId = env[userPoolIdEnv];
  return userPoolId ? new CognitoStaffAccounts(userPoolId) : localStaffAccounts;
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

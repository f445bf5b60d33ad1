import { Module } from '@nestjs/common';
import { OrganisationsController } from 'src/organisations/organisations.controller';
import { OrganisationsService } from 'src/organisations/organisations.service';

@Module({
  controllers: [OrganisationsController],
  providers: [OrganisationsService],
  exports: [OrganisationsService],
})
export class OrganisationsModule {}
